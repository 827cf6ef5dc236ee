/**
 * The registrars' and citizens' tools for identities: show one (its kind, status, jurisdiction, keys and posts),
 * a key's consent to join one, enrolment, adding and revoking keys, a registrar's recovery of a lost key, and a
 * change of status with its reason. Every write goes through sendChecked: simulated first, nothing sent on refusal.
 */
import { isHexString, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { identityCommitment } from "../law/draft";
import { eventText, readableId } from "../common/ids";
import { accountAddress, identityIdOf, identityLabel, resolveJurisdiction, roleLabel } from "../common/names";
import { getSystem } from "../common/system";
import { addressNames, sendChecked } from "../common/tx";

/** IIdentityRegistry.Kind and .Status by name, in the enums' order (the index is the value on chain). */
export const KINDS = ["none", "person", "organisation"] as const;
export const STATUSES = ["none", "active", "suspended", "deceased", "dissolved"] as const;
export type Kind = "person" | "organisation";
export type StatusName = "active" | "suspended" | "deceased" | "dissolved";

/** A date "YYYY-MM-DD" (midnight UTC) or a number of seconds since 1970, as seconds. */
export function toTimestamp(text: string, what: string): bigint {
  if (/^\d+$/.test(text)) return BigInt(text);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    if (!Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text)) return BigInt(ms / 1000);
  }
  throw new Error(`${what} must be a date (YYYY-MM-DD) or seconds since 1970, not "${text}"`);
}

/** Seconds since 1970 as a date and time (UTC), or "" for 0. */
export function formatTime(seconds: bigint | number): string {
  const s = Number(seconds);
  return s === 0 ? "" : new Date(s * 1000).toISOString().replace(".000Z", "Z");
}

export interface KeyView {
  key: string;
  /** The named account or contract at the key, when there is one. */
  name: string;
  live: boolean;
  added: string;
  revoked: string;
}

export interface PostView {
  appointmentId: number;
  role: string;
  department: number;
  /** The department as people read it: "identity 2 (dongchengOffice)". */
  departmentName: string;
  jurisdiction: string;
  from: string;
  until: string;
  /** In its term and not dismissed. */
  current: boolean;
  dismissed: string;
  dismissalReason: string;
}

export interface IdentityView {
  id: number;
  kind: string;
  status: string;
  jurisdiction: string;
  enrolled: string;
  attributesHash: string;
  keys: KeyView[];
  posts: PostView[];
}

/** An identity, by id or by a key of it, with every key it ever had and every appointment it ever held. */
export async function showIdentity(hre: HardhatRuntimeEnvironment, who: string): Promise<IdentityView> {
  const { identityRegistry } = await getSystem(hre);
  const id = await identityIdOf(hre, who);
  const identity = await identityRegistry.identity(id);
  const names = await addressNames(hre);
  const keys: KeyView[] = [];
  const added = await identityRegistry.queryFilter(identityRegistry.filters.KeyAdded(id));
  const enrolled = await identityRegistry.queryFilter(identityRegistry.filters.IdentityEnrolled(id));
  for (const key of [...enrolled.map((e) => e.args.key), ...added.map((e) => e.args.key)]) {
    const record = await identityRegistry.keyRecord(key);
    keys.push({
      key,
      name: names.get(key.toLowerCase()) ?? "",
      live: record.revokedAt === 0n,
      added: formatTime(record.addedAt),
      revoked: formatTime(record.revokedAt),
    });
  }
  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  const posts: PostView[] = [];
  const reasons = await dismissalReasons(hre);
  for (const appointmentId of await identityRegistry.appointmentsOf(id)) {
    const a = await identityRegistry.appointment(appointmentId);
    posts.push(postView(Number(appointmentId), a, now, await identityLabel(hre, a.department), reasons));
  }
  return {
    id: Number(id),
    kind: KINDS[Number(identity.kind)],
    status: STATUSES[Number(identity.status)],
    jurisdiction: readableId(identity.jurisdiction),
    enrolled: formatTime(identity.enrolledAt),
    attributesHash: identity.attributesHash,
    keys,
    posts,
  };
}

/**
 * The text of each dismissal's reason, by appointment id: the chain keeps its hash, the OfficialDismissed event its
 * text.
 */
export async function dismissalReasons(hre: HardhatRuntimeEnvironment): Promise<Map<number, string>> {
  const { identityRegistry } = await getSystem(hre);
  const events = await identityRegistry.queryFilter(identityRegistry.filters.OfficialDismissed());
  return new Map(events.map((e) => [Number(e.args.appointmentId), eventText(e, "reason")]));
}

/** An appointment as people read it: the role by name, dates, whether it is current, and why it ended. */
export function postView(
  appointmentId: number,
  a: {
    role: string;
    department: bigint;
    jurisdiction: string;
    from: bigint;
    until: bigint;
    dismissedAt: bigint;
    dismissalReason: string;
  },
  now: bigint,
  departmentName: string,
  reasons: ReadonlyMap<number, string>,
): PostView {
  return {
    appointmentId,
    role: roleLabel(a.role),
    department: Number(a.department),
    departmentName,
    jurisdiction: readableId(a.jurisdiction),
    from: formatTime(a.from) || "its appointment",
    until: formatTime(a.until),
    current: a.dismissedAt === 0n && a.from <= now && now < a.until,
    dismissed: formatTime(a.dismissedAt),
    dismissalReason: a.dismissedAt === 0n ? "" : (reasons.get(appointmentId) ?? a.dismissalReason),
  };
}

export function formatPost(p: PostView): string {
  const state = p.dismissed
    ? `dismissed ${p.dismissed}${p.dismissalReason ? ` (${p.dismissalReason})` : ""}`
    : p.current
      ? "current"
      : "not in its term";
  return `appointment ${p.appointmentId}: ${p.role} in ${p.departmentName}, ${p.jurisdiction}, from ${p.from} until ${p.until}; ${state}`;
}

export function formatIdentity(v: IdentityView): string {
  return [
    `Identity ${v.id}: ${v.kind}, ${v.status}, jurisdiction ${v.jurisdiction}, enrolled ${v.enrolled}`,
    `  attributes hash ${v.attributesHash}`,
    `  keys:`,
    ...v.keys.map(
      (k) =>
        `    ${k.name ? `${k.name} (${k.key})` : k.key}: ${k.live ? "live" : `revoked ${k.revoked}`} (added ${k.added})`,
    ),
    `  posts:${v.posts.length === 0 ? " none" : ""}`,
    ...v.posts.map((p) => `    ${formatPost(p)}`),
  ].join("\n");
}

/** The key `key` (its own signer) consents to join identity `identity` (0: to be a new identity's first key). */
export async function consentToIdentity(hre: HardhatRuntimeEnvironment, key: Signer, identity: bigint) {
  const { identityRegistry } = await getSystem(hre, key);
  return sendChecked(hre, identityRegistry, "consentToIdentity", [identity]);
}

export interface Enrolment {
  /** "person" or "organisation". */
  kind: string;
  jurisdiction: string;
  /** The key that consented to be the new identity's first key (a named account or an address). */
  key: string;
  /** The commitment to the personal data; or `attributes` with a `salt`, hashed here (never sent). */
  attributesHash?: string;
  attributes?: Record<string, unknown>;
  salt?: string;
}

/** The commitment of an enrolment: given, or computed from attributes and salt as the law files compute it. */
export function commitmentOf(e: Pick<Enrolment, "attributesHash" | "attributes" | "salt">): string {
  if (e.attributesHash !== undefined) {
    if (e.attributes !== undefined) throw new Error("give the attributes hash or the attributes, not both");
    if (!isHexString(e.attributesHash, 32)) throw new Error(`the attributes hash must be 32 bytes of 0x-hex`);
    return e.attributesHash;
  }
  if (e.attributes === undefined || e.salt === undefined)
    throw new Error("give the attributes hash, or the attributes with a salt");
  return identityCommitment(e.attributes, e.salt);
}

/** Enrols an identity, by a registrar: returns its id. */
export async function enrolIdentity(hre: HardhatRuntimeEnvironment, registrar: Signer, e: Enrolment): Promise<bigint> {
  const kind = KINDS.indexOf(e.kind as Kind);
  if (kind < 1) throw new Error(`the kind is "person" or "organisation", not "${e.kind}"`);
  const commitment = commitmentOf(e);
  const jurisdiction = await resolveJurisdiction(hre, e.jurisdiction);
  const key = await accountAddress(hre, e.key);
  const { identityRegistry } = await getSystem(hre, registrar);
  const receipt = await sendChecked(hre, identityRegistry, "enroll", [kind, jurisdiction, commitment, key]);
  for (const log of receipt.logs) {
    const event = identityRegistry.interface.parseLog(log);
    if (event?.name === "IdentityEnrolled") return event.args.identityId as bigint;
  }
  throw new Error(`the enrolment ${receipt.hash} recorded no IdentityEnrolled event`);
}

/** Adds `key` (which consented) to `identity`, by one of that identity's own live keys. */
export async function addKey(hre: HardhatRuntimeEnvironment, own: Signer, identity: string, key: string) {
  const id = await identityIdOf(hre, identity);
  const { identityRegistry } = await getSystem(hre, own);
  return sendChecked(hre, identityRegistry, "addKey", [id, await accountAddress(hre, key)]);
}

/** Revokes a live key: by a key of the same identity, or by an official whom a law grants it. */
export async function revokeKey(hre: HardhatRuntimeEnvironment, by: Signer, key: string) {
  const { identityRegistry } = await getSystem(hre, by);
  return sendChecked(hre, identityRegistry, "revokeKey", [await accountAddress(hre, key)]);
}

/** A registrar's recovery of a citizen's lost key: `newKey` (which consented to join) replaces `lostKey`. */
export async function recoverKey(hre: HardhatRuntimeEnvironment, registrar: Signer, lostKey: string, newKey: string) {
  const { identityRegistry } = await getSystem(hre, registrar);
  return sendChecked(hre, identityRegistry, "recoverKey", [
    await accountAddress(hre, lostKey),
    await accountAddress(hre, newKey),
  ]);
}

/** Sets an identity's status, with its reason, by an official whom a law grants that change. */
export async function setIdentityStatus(
  hre: HardhatRuntimeEnvironment,
  official: Signer,
  identity: string,
  status: string,
  reason: string,
) {
  const code = STATUSES.indexOf(status as StatusName);
  if (code < 1) throw new Error(`the status is one of ${STATUSES.slice(1).join(", ")}, not "${status}"`);
  if (reason.trim() === "") throw new Error("a change of status needs its reason");
  const id = await identityIdOf(hre, identity);
  const { identityRegistry } = await getSystem(hre, official);
  return sendChecked(hre, identityRegistry, "setStatus", [id, code, reason]);
}
