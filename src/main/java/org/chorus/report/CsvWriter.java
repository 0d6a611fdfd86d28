package org.chorus.report;

import java.util.List;

/**
 * RFC 4180 rows: fields separated by commas, lines ended by CRLF, a field with a comma, quote, CR or LF
 * quoted with its quotes doubled. A field a spreadsheet would run as a formula (starting with = + - @,
 * tab or CR) gets a leading apostrophe: children's words must not run as formulas on staff computers.
 */
public final class CsvWriter {
  private CsvWriter() {}

  public static String row(List<String> fields) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      field(out, fields.get(i));
    }
    return out.append("\r\n").toString();
  }

  static void field(StringBuilder out, String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0;
    if (!quote) {
      out.append(v);
      return;
    }
    out.append('"').append(v.replace("\"", "\"\"")).append('"');
  }
}
