/**
 * The personnel offices' tools: appoint an official to a role in a department, dismiss one with the reason, and
 * list appointments by department and/or role with their terms, rebuilt from the OfficialAppointed events.
 */
import type { Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { checkIdInRange, identityIdOf, identityLabel, resolveJurisdiction, resolveRole } from "../common/names";
import { getSystem } from "../common/system";
import { sendChecked } from "../common/tx";
import { dismissalReasons, postView, toTimestamp, type PostView } from "./identity";

export interface AppointmentRequest {
  /** The person appointed: an identity id, or a named account or key of it. */
  official: string;
  role: string;
  /** The organisation: an identity id, or a named account or key of it. */
  department: string;
  jurisdiction: string;
  /** Start of the term (YYYY-MM-DD or seconds); now when left out. */
  from?: string;
  /** End of the term (YYYY-MM-DD or seconds), excluded. */
  until: string;
}

/** Appoints an official, by a personnel officer whom a law grants appointments to that role: the appointment id. */
export async function appointOfficial(
  hre: HardhatRuntimeEnvironment,
  appointer: Signer,
  r: AppointmentRequest,
): Promise<bigint> {
  const official = await identityIdOf(hre, r.official);
  const department = await identityIdOf(hre, r.department);
  const role = await resolveRole(hre, r.role);
  const jurisdiction = await resolveJurisdiction(hre, r.jurisdiction);
  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  const from = r.from === undefined ? now : toTimestamp(r.from, "--start");
  const until = toTimestamp(r.until, "--until");
  const { identityRegistry } = await getSystem(hre, appointer);
  const receipt = await sendChecked(hre, identityRegistry, "appoint", [
    official,
    role,
    department,
    jurisdiction,
    from,
    until,
  ]);
  for (const log of receipt.logs) {
    const event = identityRegistry.interface.parseLog(log);
    if (event?.name === "OfficialAppointed") return event.args.appointmentId as bigint;
  }
  throw new Error(`the appointment ${receipt.hash} recorded no OfficialAppointed event`);
}

/** Dismisses an official from an appointment, with the reason. */
export async function dismissOfficial(
  hre: HardhatRuntimeEnvironment,
  by: Signer,
  appointmentId: bigint,
  reason: string,
) {
  if (reason.trim() === "") throw new Error("a dismissal needs its reason");
  const { identityRegistry } = await getSystem(hre, by);
  const count = (await identityRegistry.queryFilter(identityRegistry.filters.OfficialAppointed())).length;
  checkIdInRange("appointment", appointmentId, BigInt(count));
  return sendChecked(hre, identityRegistry, "dismiss", [appointmentId, reason]);
}

export interface OfficialView extends PostView {
  official: number;
}

/** Every appointment ever made, optionally of one department and/or one role, in order. */
export async function listAppointments(
  hre: HardhatRuntimeEnvironment,
  filter: { department?: string; role?: string } = {},
): Promise<OfficialView[]> {
  const { identityRegistry } = await getSystem(hre);
  const department = filter.department === undefined ? undefined : await identityIdOf(hre, filter.department);
  const role = filter.role === undefined ? undefined : await resolveRole(hre, filter.role);
  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  const events = await identityRegistry.queryFilter(
    identityRegistry.filters.OfficialAppointed(undefined, undefined, role),
  );
  const reasons = await dismissalReasons(hre);
  const list: OfficialView[] = [];
  for (const e of events) {
    if (department !== undefined && e.args.department !== department) continue;
    const a = await identityRegistry.appointment(e.args.appointmentId);
    const departmentName = await identityLabel(hre, a.department);
    list.push({
      official: Number(a.official),
      ...postView(Number(e.args.appointmentId), a, now, departmentName, reasons),
    });
  }
  return list;
}
