// @ts-check
/**
 * The policy editor: a plain textarea (so that every browser's editing keys, undo and
 * accessibility work) with a line-number gutter, markers on the lines that have diagnostics,
 * and a way to move the caret to a line.
 *
 * The textarea does not wrap lines, so that line N of the text is row N on screen and a marker
 * can be placed by arithmetic.
 */

/** @typedef {{ line: number, level: "error" | "warning" }} Mark */

export class PolicyEditor {
  /**
   * @param {HTMLElement} root the `.editor` element
   */
  constructor(root) {
    this.root = root;
    this.textarea = /** @type {HTMLTextAreaElement} */ (root.querySelector("textarea"));
    this.numbers = /** @type {HTMLElement} */ (root.querySelector(".numbers"));
    this.gutterInner = /** @type {HTMLElement} */ (root.querySelector(".gutter-inner"));
    this.gutterMarks = /** @type {HTMLElement} */ (root.querySelector(".marks"));
    this.backdrop = /** @type {HTMLElement} */ (root.querySelector(".backdrop-inner"));
    /** @type {Mark[]} */
    this.marks = [];
    this.lineCount = 0;
    this.textarea.addEventListener("input", () => this.refreshNumbers());
    this.textarea.addEventListener("scroll", () => this.syncScroll());
    this.refreshNumbers();
  }

  /** The text. */
  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.textarea.scrollLeft = 0;
    this.refreshNumbers();
  }

  /** The height of one line in pixels, from the textarea's computed style. */
  lineHeight() {
    return parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
  }

  /** The top padding of the textarea, where line 1 starts. */
  paddingTop() {
    return parseFloat(getComputedStyle(this.textarea).paddingTop) || 0;
  }

  refreshNumbers() {
    const count = this.textarea.value.split("\n").length;
    if (count !== this.lineCount) {
      this.lineCount = count;
      // One text node for all numbers: cheap even for a very long file.
      this.numbers.textContent = Array.from({ length: count }, (_, i) => String(i + 1)).join("\n");
    }
    this.syncScroll();
  }

  syncScroll() {
    const y = `translateY(${-this.textarea.scrollTop}px)`;
    this.gutterInner.style.transform = y;
    this.backdrop.style.transform = y;
  }

  /**
   * Marks lines that have diagnostics: a highlighted line behind the text and a sign in the
   * gutter. Lines are 1-based.
   * @param {Mark[]} marks
   */
  setMarks(marks) {
    this.marks = marks;
    const doc = this.root.ownerDocument;
    const height = this.lineHeight();
    const top = this.paddingTop();
    /** @type {Map<number, Mark>} */
    const byLine = new Map();
    for (const mark of marks) {
      const seen = byLine.get(mark.line);
      if (!seen || (seen.level === "warning" && mark.level === "error")) byLine.set(mark.line, mark);
    }
    const lineNodes = [];
    const signNodes = [];
    for (const mark of byLine.values()) {
      const line = doc.createElement("div");
      line.className = `line-mark ${mark.level}`;
      line.dataset.line = String(mark.line);
      line.style.top = `${top + (mark.line - 1) * height}px`;
      line.style.height = `${height}px`;
      lineNodes.push(line);
      const sign = doc.createElement("div");
      sign.className = `gutter-mark ${mark.level}`;
      sign.dataset.line = String(mark.line);
      sign.style.top = `${top + (mark.line - 1) * height}px`;
      sign.style.height = `${height}px`;
      signNodes.push(sign);
    }
    this.backdrop.replaceChildren(...lineNodes);
    this.gutterMarks.replaceChildren(...signNodes);
  }

  /**
   * Moves the caret to a line (and column), selects that line's text from the column on,
   * scrolls it into view and focuses the editor.
   * @param {number} line 1-based
   * @param {number} [column] 1-based
   */
  goTo(line, column = 1) {
    const lines = this.textarea.value.split("\n");
    const index = Math.min(Math.max(line, 1), lines.length) - 1;
    let start = 0;
    for (let i = 0; i < index; i++) start += lines[i].length + 1;
    const text = lines[index];
    const caret = start + Math.min(Math.max(column, 1) - 1, text.length);
    this.textarea.focus();
    this.textarea.setSelectionRange(caret, start + text.length);
    const height = this.lineHeight();
    const wanted = this.paddingTop() + index * height;
    const view = this.textarea.clientHeight;
    if (wanted < this.textarea.scrollTop || wanted + height > this.textarea.scrollTop + view) {
      this.textarea.scrollTop = Math.max(0, wanted - view / 3);
    }
    this.syncScroll();
  }

  /** The 1-based line of the caret. */
  caretLine() {
    return this.textarea.value.slice(0, this.textarea.selectionStart).split("\n").length;
  }
}
