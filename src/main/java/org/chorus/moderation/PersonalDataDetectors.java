package org.chorus.moderation;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Built-in detectors for personal data that word lists cannot describe: phone numbers (libphonenumber
 * with the child's country, plus any long run of digits, plus digits written as words), e-mail
 * addresses (also "lily at gmail dot com"), links and @handles. They work on the lightly normalised text.
 */
final class PersonalDataDetectors {
  record Span(int start, int end, String label) {}

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final Set<String> REGIONS = PHONES.getSupportedRegions();
  /** "@" and the words children use for it and for "." when they spell an address out (Swahili "nukta" is a dot). */
  private static final String AT = "(?:@|\\((?:at|arroba|arobase|собака|艾特)\\)|\\[at\\]| at | arobase | arroba | собака | آت | أت )";
  private static final String DOT = "(?:\\.|\\((?:dot|punto|ponto|point|点|點|точка)\\) ?|\\[dot\\]| dot | point | punto | ponto | точка | نقطة | دوت | nukta )";
  /** A dot spelled out inside the name before the "@" ("aisha nukta nakato at gmail nukta com"). */
  private static final String LOCAL_DOT = "(?: dot | nukta | punto | ponto | point | точка )";
  private static final Pattern SPELLED_AT = Pattern.compile(" (?:at|arobase|arroba|собака|آت|أت) |\\((?:at|arroba|arobase|собака|艾特)\\)|\\[at\\]");
  private static final Pattern SPELLED_DOT = Pattern.compile(" (?:dot|point|punto|ponto|точка|نقطة|دوت|nukta) |\\((?:dot|punto|ponto|point|点|點|точка)\\)|\\[dot\\]");
  /**
   * A dot between the parts of an address: written "." or spelled out, directly before the next part. A "." followed
   * by a space is a full stop unless a well-known ending follows ("lily at gmail. com"): "…hurts me at home. My
   * parents…" is no address.
   */
  private static final String SEP = "(?: ?" + DOT + "(?=[\\p{L}\\p{N}])| ?\\. (?=(?:com|net|org|ru|fr|es|pt|br|ke|cn|co|uk|de|ng|in|io)\\b))";
  private static final Pattern EMAIL = Pattern.compile(
      "[\\p{L}\\p{N}._%+-]{1,64}(?:" + LOCAL_DOT + "[\\p{L}\\p{N}._%+-]{1,64}){0,2} ?" + AT + " ?[\\p{L}\\p{N}-]{1,63}(?:" + SEP + "[\\p{L}\\p{N}-]{1,63}){0,3}" + SEP + "(?:[a-z]{2,12}\\b|(?:كوم|نت|اورج|أورج)(?!\\p{L}))");
  /**
   * The part of every {@link #EMAIL} match from the "@" to the first dot after it ("lily at gmail dot"): cheap to look
   * for, so that the e-mail pattern, costly on long messages (it tries a 64-character name at every position), runs
   * only where an address can be. "I met him at school. Then…" has it not.
   */
  private static final Pattern EMAIL_DOMAIN_START = Pattern.compile(AT + " ?[\\p{L}\\p{N}-]{1,63} ?" + DOT);
  private static final Pattern URL = Pattern.compile(
      "(?:https?://|www\\.)[^\\s]{2,}|\\b[\\p{L}\\p{N}-]{2,63}(?:\\.[\\p{L}\\p{N}-]{1,63}){0,3}\\.(?:com|org|net|io|me|ly|gg|tv|app|co|info|biz|xyz|link|site|online|ru|cn|br|ke|ng|in|uk|fr|es|de|pt|tk)\\b(?:/[^\\s]*)?");
  private static final Pattern HANDLE = Pattern.compile("(?<![\\p{L}\\p{N}@.])@[\\p{L}\\p{N}_.]{2,30}");
  /** 7-15 digits with separators, e.g. "0712 345 678", "+254-712-345678", "(11) 91234-5678". */
  private static final Pattern DIGIT_RUN = Pattern.compile("(?<![\\p{L}\\p{N}])\\+?\\(?\\p{Nd}[\\p{Nd} ().-]{5,22}\\p{Nd}(?![\\p{L}\\p{N}])");
  /** A date, "23.05.2025", "15/05/2024", "2025-03-15": marks and exam days are no phone numbers. */
  private static final Pattern DATE = Pattern.compile(
      "\\(?(?:[0-3]?\\d([./-])[01]?\\d\\1(?:19|20)?\\d\\d|(?:19|20)\\d\\d([./-])[01]?\\d\\2[0-3]?\\d)\\)?");
  private static final Pattern YEAR_RANGE = Pattern.compile("(?:19|20)\\d\\d ?[-–] ?(?:19|20)\\d\\d");
  /** A round number with thousands separators, a statistic rather than a phone: "1 500 000", "2.000.000". */
  private static final Pattern ROUND_NUMBER = Pattern.compile("\\d{1,3}(?:([ .,])\\d{3})*\\1?000");
  private static final Set<String> DIGIT_WORDS = Set.of(
      "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
      "zéro", "un", "deux", "trois", "quatre", "cinq", "sept", "huit", "neuf",
      "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
      "um", "dois", "três", "quatro", "sete", "oito", "nove",
      "sifuri", "moja", "mbili", "tatu", "nne", "tano", "sita", "saba", "nane", "tisa",
      "ноль", "нуль", "один", "одна", "два", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять",
      "десять", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто",
      "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот",
      "صفر", "واحد", "اثنان", "اثنين", "ثلاثة", "أربعة", "اربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة",
      // Numbers read out in pairs or groups ("eighteen", "trente-quatre", "veintidós", "восемнадцать", "kumi na mbili").
      "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
      "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "double", "triple",
      "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "vingt", "vingts", "trente", "quarante",
      "cinquante", "soixante", "cent",
      "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "dieciseis", "diecisiete", "dieciocho",
      "diecinueve", "veinte", "veintiuno", "veintidós", "veintidos", "veintitrés", "veintitres", "veinticuatro",
      "veinticinco", "veintiséis", "veintiseis", "veintisiete", "veintiocho", "veintinueve", "treinta", "cuarenta",
      "cincuenta", "sesenta", "setenta", "ochenta", "noventa", "cien", "ciento",
      "duas", "meia", "dez", "doze", "treze", "catorze", "dezesseis", "dezasseis", "dezessete",
      "dezassete", "dezoito", "dezenove", "dezanove", "vinte", "trinta", "quarenta", "cinquenta", "sessenta",
      "oitenta", "cem", "cento",
      "kumi", "ishirini", "thelathini", "arobaini", "hamsini", "sitini", "sabini", "themanini", "tisini",
      "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать", "семнадцать",
      "восемнадцать", "девятнадцать",
      "اتنين", "تنين", "تلاتة", "تلاته", "ثلاث", "تلات", "اربع", "أربع", "خمس", "ست", "سبع", "تمانية", "تمانيه",
      "ثمان", "تسع", "عشرة");
  /** Words that join number words ("treinta y cuatro", "kumi na mbili", "vingt et un"): skipped, not counted. */
  private static final Set<String> NUMBER_JOINERS = Set.of("y", "e", "et", "and", "na", "و");
  /**
   * Chinese numerals written one per digit ("八七六四二零三九", "幺三九 零零零零 二五七一": 幺 is "one" read out in phone
   * numbers), in groups separated by spaces or hyphens.
   */
  private static final Pattern CJK_DIGITS = Pattern.compile("[零〇一二三四五六七八九两幺](?:[ -]?[零〇一二三四五六七八九两幺]){6,14}");
  /** Seven digit words, or six when compound numbers ("восемь девятьсот двадцать шесть …") carry several digits each. */
  private static final int MIN_DIGIT_WORDS = 6;
  /** Digits a run of digit groups and number words (or emoji-separated digit groups) must stand for. */
  private static final int MIN_MIXED_DIGITS = 8;
  /**
   * Words, and short runs of digits: "nueve 8 siete 5 cinco" mixes both. {@link Words} reads the text this way without
   * the regex (the test holds the two equal).
   */
  static final Pattern WORD = Pattern.compile("\\p{L}+|\\p{Nd}{1,4}");

  /**
   * Where matches of the detectors' patterns can begin (see {@link MatchStarts}): "@", "(", "[" or a space for
   * {@link #EMAIL_DOMAIN_START} and the spelled-out ones, a Chinese numeral for {@link #CJK_DIGITS}; null where not known.
   */
  private static final MatchStarts EMAIL_DOMAIN_STARTS = MatchStarts.of(EMAIL_DOMAIN_START, b -> b);
  private static final MatchStarts SPELLED_AT_STARTS = MatchStarts.of(SPELLED_AT, b -> b);
  private static final MatchStarts SPELLED_DOT_STARTS = MatchStarts.of(SPELLED_DOT, b -> b);
  private static final MatchStarts HANDLE_STARTS = MatchStarts.of(HANDLE, b -> b);
  private static final MatchStarts CJK_DIGITS_STARTS = MatchStarts.of(CJK_DIGITS, b -> b);
  private static final MatchStarts DIGIT_RUN_STARTS = MatchStarts.of(DIGIT_RUN, b -> b);

  /** The patterns tried only where a match can begin, with their starts (for the test that this finds the same). */
  static java.util.Map<Pattern, MatchStarts> starts() {
    return java.util.Map.of(EMAIL_DOMAIN_START, EMAIL_DOMAIN_STARTS, SPELLED_AT, SPELLED_AT_STARTS, SPELLED_DOT,
        SPELLED_DOT_STARTS, HANDLE, HANDLE_STARTS, CJK_DIGITS, CJK_DIGITS_STARTS, DIGIT_RUN, DIGIT_RUN_STARTS);
  }

  private PersonalDataDetectors() {}

  /** Spans in the light text. */
  static List<Span> find(String light, String country) {
    List<Span> spans = new ArrayList<>();
    // Cheap pre-checks: most messages have no '@', no dot and few digits, and skip the detectors entirely.
    boolean at = light.indexOf('@') >= 0;
    boolean dot = light.indexOf('.') >= 0 || found(SPELLED_DOT, SPELLED_DOT_STARTS, light);
    if (dot && (at || found(SPELLED_AT, SPELLED_AT_STARTS, light))
        && new MatchStarts.Finder(EMAIL_DOMAIN_STARTS, EMAIL_DOMAIN_START.matcher(new BoundedText(light)), light).find()) {
      add(spans, EMAIL, null, light, "email");
    }
    if (dot && mayHoldLink(light)) {
      add(spans, URL, null, light, "link");
    }
    if (at) {
      add(spans, HANDLE, HANDLE_STARTS, light, "handle");
    }
    if (digits(light) >= 7) {
      phones(spans, light, country);
    }
    digitWords(spans, light);
    add(spans, CJK_DIGITS, CJK_DIGITS_STARTS, light, "phone");
    return spans;
  }

  private static boolean found(Pattern p, MatchStarts starts, String text) {
    return new MatchStarts.Finder(starts, p.matcher(text), text).find();
  }

  /**
   * What every {@link #URL} match holds: "://", "www." or a "." right before a letter of its ending (all of them begin
   * with a-z). Most long messages have full stops, but before a space: the pattern, which tries a word at every word's
   * start, is then not run at all.
   */
  static boolean mayHoldLink(String text) {
    for (int i = text.indexOf('.'); i >= 0; i = text.indexOf('.', i + 1)) {
      if (i + 1 < text.length() && text.charAt(i + 1) >= 'a' && text.charAt(i + 1) <= 'z') {
        return true;
      }
    }
    return text.contains("://") || text.contains("www.");
  }

  private static int digits(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Character.isDigit(text.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  /** Every match of {@code p}, tried only where one can begin ({@code starts}; null: everywhere). */
  private static void add(List<Span> spans, Pattern p, MatchStarts starts, String text, String label) {
    Matcher m = p.matcher(new BoundedText(text));
    MatchStarts.Finder f = new MatchStarts.Finder(starts, m, text);
    while (f.find()) {
      spans.add(new Span(m.start(), m.end(), label));
    }
  }

  private static void phones(List<Span> spans, String text, String country) {
    String region = country == null ? "ZZ" : country.toUpperCase(Locale.ROOT);
    if (!REGIONS.contains(region)) {
      region = "ZZ";
    }
    for (PhoneNumberMatch m : PHONES.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, 10_000)) {
      if (!ROUND_NUMBER.matcher(m.rawString().strip()).matches() && !DATE.matcher(m.rawString().strip()).matches()) {
        spans.add(new Span(m.start(), m.end(), "phone"));
      }
    }
    Matcher m = DIGIT_RUN.matcher(text);
    MatchStarts.Finder runs = new MatchStarts.Finder(DIGIT_RUN_STARTS, m, text);
    while (runs.find()) {
      String run = m.group();
      long digits = run.chars().filter(Character::isDigit).count();
      if (digits >= 7 && digits <= 15 && !YEAR_RANGE.matcher(run).matches() && !ROUND_NUMBER.matcher(run).matches()
          && !DATE.matcher(run.strip()).matches()
          && hasPhoneShape(run, digits)) {
        spans.add(new Span(m.start(), m.end(), "phone"));
      }
    }
  }

  /** Seven digits need a separator or a plus ("555-1234"); eight or more are a number on their own. */
  private static boolean hasPhoneShape(String run, long digits) {
    return digits >= 8 || run.indexOf(' ') >= 0 || run.indexOf('-') >= 0 || run.indexOf('.') >= 0 || run.startsWith("+");
  }

  /** "zero seven one two three four five six seven eight": seven or more digit words in a row. */
  /**
   * The matches of {@link #WORD} one after the other, as {@link Matcher#find()} gives them — a run of letters, or one to
   * four digits — read directly: the regex tried at every position was most of this detector's time on long messages.
   */
  static final class Words {
    private final String text;
    private int start;
    private int end;

    Words(String text) {
      this.text = text;
    }

    boolean find() {
      int n = text.length();
      for (int i = end; i < n; i++) {
        int cp = text.codePointAt(i);
        if (Character.isLetter(cp)) {
          int j = i + Character.charCount(cp);
          while (j < n && Character.isLetter(cp = text.codePointAt(j))) {
            j += Character.charCount(cp);
          }
          start = i;
          end = j;
          return true;
        }
        if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
          int j = i + Character.charCount(cp);
          for (int digits = 1; digits < 4 && j < n
              && Character.getType(cp = text.codePointAt(j)) == Character.DECIMAL_DIGIT_NUMBER; digits++) {
            j += Character.charCount(cp);
          }
          start = i;
          end = j;
          return true;
        }
        // like find(): the next position is the next char, even inside a surrogate pair
      }
      end = n;
      return false;
    }

    int start() {
      return start;
    }

    int end() {
      return end;
    }

    String group() {
      return text.substring(start, end);
    }
  }

  private static void digitWords(List<Span> spans, String text) {
    Words m = new Words(text);
    int count = 0;
    int runStart = -1;
    int runEnd = -1;
    int joinerEnd = -1;
    int words = 0; // number words in the run: digits alone are left to the phone detectors
    int digitCount = 0; // digits the run stands for: "0712 three four five 678" is ten
    boolean symbolSep = false; // digits split by emoji ("555 📞 123 📞 4567")
    while (m.find()) {
      String word = m.group();
      // Arabic writes "and" joined to the next word: "وتسعة".
      boolean numeral = Character.isDigit(word.charAt(0));
      boolean digit = numeral || DIGIT_WORDS.contains(word)
          || word.length() > 2 && word.charAt(0) == 'و' && DIGIT_WORDS.contains(word.substring(1));
      String gap = count > 0 ? text.substring(runEnd, m.start()) : "";
      boolean continues = count > 0 && gap.chars().allMatch(c -> isDigitWordSeparator((char) c) || isSymbolSeparator((char) c));
      boolean symbolGap = continues && gap.chars().anyMatch(c -> isSymbolSeparator((char) c));
      if (!digit && continues && joinerEnd < 0 && NUMBER_JOINERS.contains(word)) {
        joinerEnd = runEnd; // look at the next word before deciding
        runEnd = m.end();
        continue;
      }
      if (joinerEnd >= 0 && !(digit && continues)) {
        runEnd = joinerEnd; // a joiner not followed by a number word is not part of the number
      }
      joinerEnd = -1;
      if (digit && continues) {
        count++;
        words += numeral ? 0 : 1;
        digitCount += numeral ? word.length() : 1;
        symbolSep |= symbolGap;
        runEnd = m.end();
        continue;
      }
      if (isPhoneRun(count, words, digitCount, symbolSep)) {
        spans.add(new Span(runStart, runEnd, "phone"));
      }
      count = digit ? 1 : 0;
      words = digit && !numeral ? 1 : 0;
      digitCount = !digit ? 0 : numeral ? word.length() : 1;
      symbolSep = false;
      runStart = m.start();
      runEnd = m.end();
    }
    if (joinerEnd >= 0) {
      runEnd = joinerEnd;
    }
    if (isPhoneRun(count, words, digitCount, symbolSep)) {
      spans.add(new Span(runStart, runEnd, "phone"));
    }
  }

  /**
   * Six number words in a row; or digits and number words mixed ("07700 nine hundred 123"), or digit groups split by
   * emoji ("555 📞 123 📞 4567"), that stand for eight digits or more.
   */
  private static boolean isPhoneRun(int count, int words, int digitCount, boolean symbolSep) {
    return count >= MIN_DIGIT_WORDS && words > 0
        || count >= 3 && digitCount >= MIN_MIXED_DIGITS && (words >= 2 || symbolSep && words == 0);
  }

  /** Emoji and other symbols between digit groups, with their joiners and variation selectors. */
  private static boolean isSymbolSeparator(char c) {
    return Character.isSurrogate(c) || c == '\uFE0F' || c == '\u200D'
        || Character.getType(c) == Character.OTHER_SYMBOL;
  }

  private static boolean isDigitWordSeparator(char c) {
    return c == ' ' || c == ',' || c == '-' || c == '.' || c == '،';
  }
}
