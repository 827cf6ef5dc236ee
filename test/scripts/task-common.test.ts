/**
 * What every task shares: the question asked before something that cannot be taken back, answered on a terminal
 * (here a stream that says it is one), confirmed beforehand with --yes, and refused where nobody could answer.
 */
import { expect } from "chai";
import { PassThrough } from "node:stream";

import { confirmOrRefuse } from "../../scripts/tasks/common";

/** A terminal that answers `answer` (or, when `tty` is false, a pipe), and what was written to it. */
function terminal(answer: string, tty = true) {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const output = new PassThrough();
  let written = "";
  output.on("data", (chunk) => (written += String(chunk)));
  input.end(`${answer}\n`);
  return { input, output, written: () => written };
}

describe("confirmOrRefuse", function () {
  it("goes on when the person answers yes, having shown what will be sent and the question", async function () {
    const t = terminal("y");
    await confirmOrRefuse("pay 1.00 yuan to citizen1", { yes: false, question: "Pay?", ...t });
    expect(t.written()).to.match(/^To send: pay 1.00 yuan to citizen1\nPay\? \[y\/N\] /);
  });

  it("refuses on any other answer, and on none", async function () {
    for (const answer of ["n", "", "yess"]) {
      await expect(confirmOrRefuse("pay", { yes: false, ...terminal(answer) })).to.be.rejectedWith(
        "not confirmed: nothing sent",
      );
    }
  });

  it("asks nothing with --yes, even without a terminal", async function () {
    const t = terminal("n", false);
    await confirmOrRefuse("pay", { yes: true, ...t });
    expect(t.written()).to.equal("To send: pay\n");
  });

  it("refuses without a terminal and without --yes, saying how to confirm", async function () {
    await expect(confirmOrRefuse("pay", { yes: false, ...terminal("y", false) })).to.be.rejectedWith(
      "not confirmed, nothing sent; without a terminal, add --yes to confirm",
    );
  });
});
