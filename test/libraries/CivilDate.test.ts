/**
 * The calendar of the registers (yyyymmdd, proleptic Gregorian, UTC), checked against JavaScript's own Date on the
 * dates where calendars go wrong: leap years of every kind, month lengths, the ends of the valid range.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import type { CivilDateMock } from "../../typechain-types";

/** yyyymmdd of a JavaScript date, in UTC. */
const yyyymmdd = (d: Date) => d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
/** The JavaScript date (UTC) of a yyyymmdd. */
const utc = (date: number) =>
  new Date(Date.UTC(Math.floor(date / 10000), (Math.floor(date / 100) % 100) - 1, date % 100));
const DAY_MS = 86_400_000;

describe("CivilDate", function () {
  let calendar: CivilDateMock;

  before(async function () {
    calendar = await (await ethers.getContractFactory("CivilDateMock")).deploy();
  });

  describe("isValid", function () {
    for (const date of [10000101, 99991231, 19600315, 20000229, 20240229, 16000229, 20240430, 20240131, 20241231]) {
      it(`accepts ${date}`, async function () {
        expect(await calendar.isValid(date)).to.equal(true);
      });
    }
    for (const [date, why] of [
      [9991231, "a year before 1000"],
      [100000101, "a year after 9999"],
      [20240015, "month 0"],
      [20241315, "month 13"],
      [20240100, "day 0"],
      [20240132, "January 32"],
      [20240431, "April 31"],
      [20240631, "June 31"],
      [20240931, "September 31"],
      [20241131, "November 31"],
      [20230229, "29 February of a common year"],
      [19000229, "29 February of a century year not divisible by 400"],
      [20240230, "30 February of a leap year"],
    ] as const) {
      it(`refuses ${date}: ${why}`, async function () {
        expect(await calendar.isValid(date)).to.equal(false);
      });
    }
  });

  describe("yearsBetween", function () {
    it("counts whole years, the birthday itself included", async function () {
      expect(await calendar.yearsBetween(19600315, 20250314)).to.equal(64n);
      expect(await calendar.yearsBetween(19600315, 20250315)).to.equal(65n);
      expect(await calendar.yearsBetween(20000229, 20240228)).to.equal(23n);
      expect(await calendar.yearsBetween(20000229, 20240229)).to.equal(24n);
    });

    it("is 0 when the birth date is later than the date", async function () {
      expect(await calendar.yearsBetween(20250316, 20250315)).to.equal(0n);
    });
  });

  describe("daysBetween and fromTimestamp agree with JavaScript's calendar", function () {
    const pairs = [
      [19700101, 19700101],
      [19000228, 19000301],
      [20000228, 20000301],
      [20240131, 20240301],
      [19600315, 20250315],
      [10000101, 99991231],
      [20231231, 20240101],
    ] as const;
    for (const [from, to] of pairs) {
      it(`from ${from} to ${to}`, async function () {
        const days = (utc(to).getTime() - utc(from).getTime()) / DAY_MS;
        expect(await calendar.daysBetween(from, to)).to.equal(BigInt(days));
      });
    }

    for (const date of [19700101, 20000229, 20000301, 20240101, 20241231, 21000301, 99991231]) {
      it(`gives ${date} for its midnight and the last second of the day`, async function () {
        const midnight = utc(date).getTime() / 1000;
        expect(await calendar.fromTimestamp(midnight)).to.equal(BigInt(date));
        expect(await calendar.fromTimestamp(midnight + 86_399)).to.equal(BigInt(date));
        expect(yyyymmdd(new Date((midnight + 86_400) * 1000))).to.equal(
          Number(await calendar.fromTimestamp(midnight + 86_400)),
        );
      });
    }
  });
});
