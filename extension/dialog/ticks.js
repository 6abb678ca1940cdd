// @ts-check
/**
 * The ticks of a dialog: which items still need the person's confirmation, the groups that
 * may be ticked all at once, and the Send button they enable.
 *
 * Pure DOM, no extension API (the playground uses it through render.js).
 *
 * "Tick all" is enforced here, not only hidden in the page: a group whose policy does not
 * allow it refuses the header's change event and puts the header back, whatever made it fire.
 * One delegated listener serves every box, and the count of confirmed items is kept up to
 * date incrementally, so that a mail with thousands of recipients stays responsive.
 *
 * The rows of a long list are built after the first paint (render.js): an item whose row is
 * still to come is counted as `expected`, unconfirmed, so that the count says the whole total
 * from the start and Send stays disabled until every row is there and ticked. A "tick all"
 * header first has the rest built; a row not built yet cannot have been ticked, so a snapshot
 * leaves it out, and a row built while the dialog is locked is locked too.
 */

/**
 * @typedef {object} Item
 * @property {string} key  stable across re-renders: a fix keeps the ticks of what it did not change
 * @property {HTMLInputElement} control  a checkbox, or a text field for a retyped file name
 * @property {() => boolean} satisfied
 * @property {boolean} ok  the last known value of satisfied()
 * @property {Group | null} group
 *
 * @typedef {object} Group
 * @property {string} id
 * @property {boolean} allowed  whether the policy allows ticking the whole group at once
 * @property {HTMLInputElement} header
 * @property {Item[]} items
 * @property {number} okCount
 * @property {number} expected  items of the group whose rows are still to be built
 *
 * @typedef {{ ticked: string[], typed: Record<string, string> }} Snapshot
 */

/** The listeners of the Ticks last bound to a root, removed when the dialog is rendered again. */
const bound = new WeakMap();

export class Ticks {
  /**
   * @param {{ blocked: boolean, waiting?: boolean, hasRecipients: boolean, previous?: Snapshot | null }} options
   *   `waiting`: an attachment is still being inspected, so Send waits whatever is ticked
   */
  constructor({ blocked, waiting = false, hasRecipients, previous = null }) {
    this.blocked = blocked;
    this.waiting = waiting;
    this.hasRecipients = hasRecipients;
    this.previousTicked = new Set(previous?.ticked ?? []);
    this.previousTyped = previous?.typed ?? {};
    /** @type {Item[]} */
    this.items = [];
    /** @type {WeakMap<Element, Item>} */
    this.byControl = new WeakMap();
    /** @type {WeakMap<Element, Group>} */
    this.byHeader = new WeakMap();
    this.done = 0;
    /** Items whose rows are still to be built (render.js builds a long list after the first paint). */
    this.expected = 0;
    /** Builds every row still to come; render.js sets it while rows are pending. */
    this.complete = () => {};
    this.locked = false;
    /** @type {(() => void)[]} */
    this.listeners = [];
  }

  /**
   * Adds a checkbox that must be ticked.
   * @param {string} key
   * @param {HTMLInputElement} box
   * @param {Group | null} [group]
   */
  addBox(key, box, group = null) {
    if (this.previousTicked.has(key)) box.checked = true;
    return this.add({ key, control: box, satisfied: () => box.checked, ok: false, group });
  }

  /**
   * Adds a text field that must hold the expected text (a retyped file name).
   * @param {string} key
   * @param {HTMLInputElement} field
   * @param {(value: string) => boolean} matches
   */
  addRetype(key, field, matches) {
    const typed = this.previousTyped[key];
    if (typed !== undefined) field.value = typed;
    return this.add({ key, control: field, satisfied: () => matches(field.value), ok: false, group: null });
  }

  /** @param {Item} item */
  add(item) {
    // A row built after the first paint of a locked dialog (a fix under way) is locked too.
    if (this.locked) item.control.disabled = true;
    item.ok = item.satisfied();
    if (item.ok) this.done++;
    this.items.push(item);
    this.byControl.set(item.control, item);
    if (item.group) {
      item.group.items.push(item);
      if (item.ok) item.group.okCount++;
    }
    return item;
  }

  /**
   * A group of rows with a "tick all" header checkbox.
   * @param {string} id
   * @param {HTMLInputElement} header
   * @param {boolean} allowed
   * @returns {Group}
   */
  group(id, header, allowed) {
    /** @type {Group} */
    const group = { id, allowed, header, items: [], okCount: 0, expected: 0 };
    this.byHeader.set(header, group);
    return group;
  }

  /**
   * Counts items whose rows are built later: unconfirmed until they are there.
   * @param {Group | null} group  null while the group itself is still to be built
   * @param {number} [count]
   */
  expect(group, count = 1) {
    this.expected += count;
    if (group) group.expected += count;
  }

  /**
   * The row of an expected item is about to be built (and its item added).
   * @param {Group | null} group
   */
  arrive(group) {
    this.expected--;
    if (group) group.expected--;
  }

  /** Every row is built: paints the groups and the footer once. */
  settled() {
    for (const item of this.items) if (item.group) this.paintGroup(item.group);
    this.notify();
  }

  /**
   * Listens on the dialog's root and sets the initial state.
   * @param {HTMLElement} root
   */
  bind(root) {
    const onEvent = (/** @type {Event} */ event) => {
      const target = /** @type {Element} */ (event.target);
      const group = this.byHeader.get(target);
      if (group) {
        // Ticking a whole group acts on rows not built yet too: they are built first (which
        // repaints the header, so its new state is read before).
        const checked = /** @type {HTMLInputElement} */ (target).checked;
        this.complete();
        this.checkAll(group, checked);
        return;
      }
      const item = this.byControl.get(target);
      if (item) this.refresh(item);
    };
    bound.get(root)?.abort();
    const controller = new AbortController();
    bound.set(root, controller);
    root.addEventListener("change", onEvent, { signal: controller.signal });
    root.addEventListener("input", onEvent, { signal: controller.signal });
    for (const item of this.items) if (item.group) this.paintGroup(item.group);
    this.notify();
  }

  /**
   * Ticks or unticks every row of a group, if the policy allows it.
   * @param {Group} group
   * @param {boolean} checked
   * @returns {boolean} whether it was done
   */
  checkAll(group, checked) {
    if (!group.allowed || this.locked) {
      this.paintGroup(group);
      return false;
    }
    for (const item of group.items) {
      /** @type {HTMLInputElement} */ (item.control).checked = checked;
      this.refresh(item, false);
    }
    this.paintGroup(group);
    this.notify();
    return true;
  }

  /**
   * @param {Item} item
   * @param {boolean} [notify]
   */
  refresh(item, notify = true) {
    const ok = item.satisfied();
    if (ok !== item.ok) {
      item.ok = ok;
      this.done += ok ? 1 : -1;
      if (item.group) item.group.okCount += ok ? 1 : -1;
    }
    item.control.closest("[data-kind]")?.classList.toggle("confirmed", ok);
    if (notify) {
      if (item.group) this.paintGroup(item.group);
      this.notify();
    }
  }

  /** @param {Group} group */
  paintGroup(group) {
    const all = group.items.length > 0 && group.expected === 0 && group.okCount === group.items.length;
    group.header.checked = group.allowed && all;
    group.header.indeterminate = group.allowed && !all && group.okCount > 0;
  }

  /** @param {() => void} listener called after every change of state */
  onChange(listener) {
    this.listeners.push(listener);
  }

  notify() {
    for (const listener of this.listeners) listener();
  }

  /** How many items are confirmed, of how many. */
  progress() {
    return { done: this.done, total: this.items.length + this.expected };
  }

  /**
   * Whether Send may be pressed: every item built and confirmed, nothing blocks, no attachment
   * still being inspected, someone to send to.
   */
  ready() {
    return !this.blocked && !this.waiting && !this.locked && this.hasRecipients && this.expected === 0 && this.done === this.items.length;
  }

  /** The first item still to confirm, in page order. */
  firstPending() {
    return this.items.find((item) => !item.ok) ?? null;
  }

  /**
   * Freezes every control (during the countdown, and while a fix is applied).
   * @param {boolean} locked
   */
  lock(locked) {
    this.locked = locked;
    for (const item of this.items) item.control.disabled = locked;
    this.notify();
  }

  /** @returns {Snapshot} what the person confirmed, to carry over a re-render (rows not built yet were not) */
  snapshot() {
    /** @type {Snapshot} */
    const out = { ticked: [], typed: {} };
    for (const item of this.items) {
      if (item.control.type === "text") out.typed[item.key] = item.control.value;
      else if (item.ok) out.ticked.push(item.key);
    }
    return out;
  }
}
