// @ts-check
/**
 * Thunderbird's `policies.json` around a Misend Guard policy: the file admins deploy.
 * The policy sits under `policies.3rdparty.Extensions["misend-guard@misend-guard.org"]`
 * (read by the add-on through `storage.managed`), and `policies.Extensions.Install` installs
 * the add-on itself. An imported file's other policies are kept on export.
 */

export const ADDON_ID = "misend-guard@misend-guard.org";

/**
 * The default place of the add-on on the PCs: an admin edits it to where they put the .xpi.
 * @param {string} version
 */
export function defaultInstallPath(version) {
  return `/opt/misend-guard/misend-guard-${version}.xpi`;
}

/** @param {unknown} v @returns {v is Record<string, any>} */
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Builds the complete policies.json text.
 * @param {unknown} policy the Misend Guard policy (already parsed)
 * @param {string} installPath
 * @param {unknown} [base] an imported policies.json whose other settings are kept
 * @returns {string}
 */
export function buildPoliciesJson(policy, installPath, base) {
  /** @type {Record<string, any>} */
  const file = isObject(base) ? structuredClone(base) : {};
  const policies = isObject(file.policies) ? file.policies : (file.policies = {});
  const extensions = isObject(policies.Extensions) ? policies.Extensions : (policies.Extensions = {});
  // Another install entry for this add-on (an older version, another path) is replaced.
  const others = Array.isArray(extensions.Install)
    ? extensions.Install.filter((/** @type {unknown} */ p) => typeof p === "string" && !/misend-guard[^/\\]*\.xpi$/i.test(p))
    : [];
  extensions.Install = [...others, installPath];
  const thirdParty = isObject(policies["3rdparty"]) ? policies["3rdparty"] : (policies["3rdparty"] = {});
  const byAddon = isObject(thirdParty.Extensions) ? thirdParty.Extensions : (thirdParty.Extensions = {});
  byAddon[ADDON_ID] = policy;
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads an imported file: a complete policies.json, or a bare Misend Guard policy.
 * @param {string} text
 * @returns {{ kind: "policies", policy: unknown, installPath: string | null, base: Record<string, any> }
 *         | { kind: "bare", policy: unknown }
 *         | { kind: "no-policy" }}
 * @throws {SyntaxError} when the text is not JSON
 */
export function readPolicyFile(text) {
  const value = JSON.parse(text.replace(/^\uFEFF/, ""));
  if (isObject(value) && isObject(value.policies)) {
    const policies = value.policies;
    const policy = policies["3rdparty"]?.Extensions?.[ADDON_ID];
    if (policy === undefined) return { kind: "no-policy" };
    const install = Array.isArray(policies.Extensions?.Install) ? policies.Extensions.Install : [];
    const ours = install.find((/** @type {unknown} */ p) => typeof p === "string" && /misend-guard[^/\\]*\.xpi$/i.test(p));
    return { kind: "policies", policy, installPath: typeof ours === "string" ? ours : null, base: value };
  }
  return { kind: "bare", policy: value };
}
