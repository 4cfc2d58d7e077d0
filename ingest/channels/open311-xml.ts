/**
 * A tiny XML writer for the Open311 GeoReport v2 responses: plain elements, no attributes, no
 * namespaces. Open311's XML is simple enough that a library would add more surface than it saves, and
 * writing it here keeps the escaping rules in one visible place.
 */

/** The XML declaration every Open311 XML response starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/**
 * Characters XML 1.0 does not allow at all (C0 controls other than tab, LF and CR; lone surrogates;
 * U+FFFE and U+FFFF), plus DEL and the C1 controls, which XML allows but which are never meant as text
 * and trip up some parsers. Petition text is pasted from anywhere, so these do turn up.
 */
const NOT_XML_TEXT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text for element content: the five predefined entities, and characters XML cannot carry
 * removed (rather than replaced, so a stray control character does not show as a box).
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_TEXT, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Element names our views use: letters, digits, `_`, `-`, `.`; never user data. */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The element name for each item of an array element, per the GeoReport v2 examples. Anything else
 * drops a trailing `s`, or falls back to `item`.
 */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
};

function itemName(listName: string): string {
  return ITEM_NAMES[listName] ?? (listName.length > 1 && listName.endsWith('s') ? listName.slice(0, -1) : 'item');
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return String(value);
}

/**
 * One element for `value`: `null` is an empty element, `undefined` is left out (as JSON.stringify
 * leaves it out), an array is its items repeated under the list's item name, an object is one child
 * element per key in order, anything else is escaped text.
 */
export function xmlElement(name: string, value: unknown): string {
  if (!XML_NAME.test(name)) throw new Error(`"${name}" is not a usable XML element name`);
  if (value === undefined) return '';
  if (value === null) return `<${name}/>`;
  let inner: string;
  if (Array.isArray(value)) {
    const child = itemName(name);
    inner = value.map((item: unknown) => xmlElement(child, item)).join('');
  } else if (typeof value === 'object' && !(value instanceof Date)) {
    inner = Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => xmlElement(key, v))
      .join('');
  } else {
    inner = escapeXml(scalarText(value));
  }
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

/** A whole document: the declaration, then `value` as the root element `root`. */
export function xmlDocument(root: string, value: unknown): string {
  return `${XML_DECLARATION}\n${xmlElement(root, value ?? null)}\n`;
}
