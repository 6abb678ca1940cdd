// @ts-check
/**
 * The policy editor: a plain textarea (so that every browser's editing keys, undo and
 * accessibility work) with a line-number gutter, markers on the lines that have diagnostics,
 * and a way to move the caret to a line.
 *
 * Long lines wrap, so that a long keyword pattern or domain list can be read without scrolling
 * sideways. Line N of the text may then take several rows on screen: a hidden copy of the text
 * with the textarea's width and font (the "measure") tells how many rows each line takes, and
 * the gutter and the markers are placed from those counts.
 */

/** @typedef {{ line: number, level: "error" | "warning" }} Mark */

/**
 * Past this many lines the editor stops wrapping: counting rows on each keystroke would cost
 * more than wrapping helps, and a file that long is read by searching, not by scrolling.
 */
export const WRAP_MAX_LINES = 5000;

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
    const doc = root.ownerDocument;
    this.measure = doc.createElement("div");
    this.measure.className = "measure";
    this.measure.setAttribute("aria-hidden", "true");
    this.textarea.after(this.measure);
    /** @type {Mark[]} */
    this.marks = [];
    /** How many screen rows each line takes. */
    /** @type {number[]} */
    this.rows = [];
    /** The first screen row of each line (0-based), and after the last line the total. */
    /** @type {number[]} */
    this.firstRow = [0];
    this.numbersText = "";
    /** Whether the rows are out of date (the text or the width changed since they were counted). */
    this.stale = true;
    this.frame = 0;
    this.width = 0;
    this.textarea.addEventListener("input", () => this.refresh());
    this.textarea.addEventListener("scroll", () => this.syncScroll());
    // The width decides the wrapping: count the rows again when it changes.
    new ResizeObserver(() => {
      if (this.textarea.clientWidth !== this.width) this.refresh();
    }).observe(this.textarea);
    this.layout();
  }

  /** The text. */
  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.textarea.scrollLeft = 0;
    this.layout();
  }

  /** The height of one line in pixels, from the textarea's computed style. */
  lineHeight() {
    return parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
  }

  /** The top padding of the textarea, where line 1 starts. */
  paddingTop() {
    return parseFloat(getComputedStyle(this.textarea).paddingTop) || 0;
  }

  /** Counts the rows again before the next frame (typing fires many events per frame). */
  refresh() {
    this.stale = true;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.layout();
      });
    }
  }

  /** Counts the rows if they are out of date. */
  ensureLayout() {
    if (this.stale) this.layout();
  }

  /**
   * Counts the screen rows of every line, then redraws the line numbers and the markers.
   * Each number in the gutter is followed by one empty row for each extra row its line takes.
   */
  layout() {
    this.stale = false;
    const lines = this.textarea.value.split("\n");
    const wrap = lines.length <= WRAP_MAX_LINES;
    this.root.dataset.wrap = wrap ? "on" : "off";
    this.width = this.textarea.clientWidth;
    this.rows = lines.map(() => 1);
    if (wrap && this.width > 0) {
      const doc = this.root.ownerDocument;
      this.measure.style.width = `${this.width}px`;
      // Only a line that may be wider than a row is measured. The font is fixed-width and no
      // character (a tab, a wide CJK letter, an emoji's two UTF-16 units) is wider than two
      // columns, so a line of at most half a row's columns in UTF-16 units fits in one row.
      const probe = doc.createElement("span");
      probe.textContent = "0".repeat(64);
      this.measure.replaceChildren(probe);
      const column = probe.getBoundingClientRect().width / 64;
      const style = getComputedStyle(this.measure);
      const room = this.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const fits = column > 0 ? Math.floor(room / column / 2) : 0;
      const long = lines.flatMap((line, i) => (line.length > fits ? [i] : []));
      const nodes = long.map((i) => {
        const row = doc.createElement("div");
        row.textContent = lines[i];
        return row;
      });
      this.measure.replaceChildren(...nodes);
      const height = this.lineHeight();
      long.forEach((i, n) => (this.rows[i] = Math.max(1, Math.round(nodes[n].getBoundingClientRect().height / height))));
      this.measure.replaceChildren();
    }
    this.firstRow = [0];
    for (const rows of this.rows) this.firstRow.push(this.firstRow[this.firstRow.length - 1] + rows);
    // One text node for all numbers: cheap even for a very long file.
    const numbers = this.rows.map((rows, i) => String(i + 1) + "\n".repeat(rows - 1)).join("\n");
    if (numbers !== this.numbersText) {
      this.numbersText = numbers;
      this.numbers.textContent = numbers;
    }
    this.drawMarks();
    this.syncScroll();
  }

  syncScroll() {
    const y = `translateY(${-this.textarea.scrollTop}px)`;
    this.gutterInner.style.transform = y;
    this.backdrop.style.transform = y;
  }

  /**
   * Where a line is drawn, in pixels from the top of the text (before scrolling).
   * @param {number} line 1-based
   */
  lineBox(line) {
    this.ensureLayout();
    const index = Math.min(Math.max(line, 1), this.rows.length) - 1;
    const height = this.lineHeight();
    return { top: this.paddingTop() + this.firstRow[index] * height, height: this.rows[index] * height };
  }

  /**
   * Marks lines that have diagnostics: a highlighted line behind the text and a sign in the
   * gutter. Lines are 1-based.
   * @param {Mark[]} marks
   */
  setMarks(marks) {
    this.marks = marks;
    this.ensureLayout();
    this.drawMarks();
  }

  drawMarks() {
    const doc = this.root.ownerDocument;
    /** @type {Map<number, Mark>} */
    const byLine = new Map();
    for (const mark of this.marks) {
      const seen = byLine.get(mark.line);
      if (!seen || (seen.level === "warning" && mark.level === "error")) byLine.set(mark.line, mark);
    }
    /** @type {HTMLElement[]} */
    const lineNodes = [];
    /** @type {HTMLElement[]} */
    const signNodes = [];
    for (const mark of byLine.values()) {
      const box = this.lineBox(mark.line);
      for (const [nodes, className] of /** @type {[HTMLElement[], string][]} */ ([
        [lineNodes, "line-mark"],
        [signNodes, "gutter-mark"],
      ])) {
        const node = doc.createElement("div");
        node.className = `${className} ${mark.level}`;
        node.dataset.line = String(mark.line);
        node.style.top = `${box.top}px`;
        node.style.height = `${box.height}px`;
        nodes.push(node);
      }
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
    const box = this.lineBox(index + 1);
    const view = this.textarea.clientHeight;
    if (box.top < this.textarea.scrollTop || box.top + box.height > this.textarea.scrollTop + view) {
      this.textarea.scrollTop = Math.max(0, box.top - view / 3);
    }
    this.syncScroll();
  }

  /** The 1-based line of the caret. */
  caretLine() {
    return this.textarea.value.slice(0, this.textarea.selectionStart).split("\n").length;
  }
}
