/**
 * registry:list, over scripts/lib/registry/registers.ts: every register with its number, name, kind of subject,
 * law and fields, so that an agency sees what registry:record and registry:import expect.
 */
import { task } from "hardhat/config";

import { plainErrors } from "./common";
import { output } from "./input";

task(
  "registry:list",
  "Every register with its number, name, kind of subject, law and fields. Example: npx hardhat registry:list --network localhost",
)
  .addFlag("json", "Print JSON for scripts")
  .setAction(
    plainErrors("registry:list", async (args: { json: boolean }, hre) => {
      const { listRegisters, formatRegisters } = await import("../lib/registry/registers");
      const registers = await listRegisters(hre);
      output(args.json, registers, () => formatRegisters(registers));
    }),
  );
