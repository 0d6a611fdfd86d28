package org.chorus.moderation;

/**
 * A CharSequence that stops a regular expression which reads far more than the text's size: the guard
 * against a pattern that backtracks without end. Reading past the budget throws {@link TooSlow}.
 */
final class BoundedText implements CharSequence {
  static final class TooSlow extends RuntimeException {
    TooSlow() {
      super("pattern took too long", null, false, false);
    }
  }

  private final String text;
  private final int[] budget;

  BoundedText(String text) {
    this(text, new int[] {Math.max(20_000, text.length() * 200)});
  }

  private BoundedText(String text, int[] budget) {
    this.text = text;
    this.budget = budget;
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public char charAt(int index) {
    if (--budget[0] < 0) {
      throw new TooSlow();
    }
    return text.charAt(index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new BoundedText(text.substring(start, end), budget);
  }

  @Override
  public String toString() {
    return text;
  }
}
