/**
 * The gated requests' signatures: their EIP-712 digests, hashed word by word, equal viem's `hashTypedData` for any
 * request; the signer, recovered by libsecp256k1 (the native addon, loaded on this platform), is the same key as viem's `recoverAddress` for any
 * key and digest, whichever form `v` takes and whether `s` is low or high; no key (never a throw) for a signature
 * viem refuses too.
 */
import { expect } from "chai";
import fc from "fast-check";
import { SigningKey, Wallet, hexlify, toBeHex } from "ethers";
import { getAddress, hashTypedData, keccak256 as viemKeccak, recoverAddress, type Hex } from "viem";

import {
  QUERY_TYPES,
  READ_TYPES,
  ReadBody,
  RequestDigests,
  dataDomain,
  queryMessage,
  readMessage,
} from "../../data-service/src/reads/requests";
import { recoverOrUndefined, recoversNatively } from "../../data-service/src/reads/signer";
import { hashesNatively, keccak } from "../../data-service/src/reads/keccak";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hexlify(b) as Hex);
const privateKey = bytes32.filter((k) => BigInt(k) > 0n && BigInt(k) < N);

/** viem's answer, or undefined where it throws. */
async function viem(hash: Hex, signature: Hex) {
  try {
    return await recoverAddress({ hash, signature });
  } catch {
    return undefined;
  }
}

/** The signature's parts put back together: r, s and the last byte `v`. */
const join = (r: bigint, s: bigint, v: number) =>
  `0x${toBeHex(r, 32).slice(2)}${toBeHex(s, 32).slice(2)}${v.toString(16).padStart(2, "0")}` as Hex;

const uint256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }).map(String);
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));

describe("the digest of a request", function () {
  it("is viem's hashTypedData of it, for any read request and tracker query in any chain's domain", function () {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }),
        address,
        fc.record({ registerId: bytes32, subject: uint256, purpose: bytes32, nonce: uint256, deadline: uint256 }),
        fc.record({ subject: uint256, nonce: uint256, deadline: uint256 }),
        (chainId, accessLog, read, query) => {
          const domain = dataDomain(chainId, accessLog);
          const digests = new RequestDigests(domain);
          const message = readMessage(read);
          expect(digests.digest("ReadRequest", READ_TYPES.ReadRequest, message)).to.equal(
            hashTypedData({ domain, types: READ_TYPES, primaryType: "ReadRequest", message }),
          );
          const asked = queryMessage(query);
          expect(digests.digest("AccessQuery", QUERY_TYPES.AccessQuery, asked)).to.equal(
            hashTypedData({ domain, types: QUERY_TYPES, primaryType: "AccessQuery", message: asked }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is never asked of a request whose whole numbers exceed 2^256 - 1: the body is refused first (a 400)", function () {
    const request = { registerId: `0x${"00".repeat(32)}`, purpose: `0x${"00".repeat(32)}`, nonce: "1", deadline: "1" };
    const body = (subject: string) => ({
      request: { ...request, subject },
      purposeText: "x",
      signature: `0x${"1".repeat(130)}`,
    });
    expect(ReadBody.safeParse(body((2n ** 256n - 1n).toString())).success).to.equal(true);
    const refused = ReadBody.safeParse(body((2n ** 256n).toString()));
    expect(refused.success).to.equal(false);
    expect(refused.error?.issues[0].message).to.equal("a whole number in decimal, at most 2^256 - 1");
  });

  it("is never asked of a body with a number that is no number, or a purpose the log cannot hold: a 400", function () {
    const request = {
      registerId: `0x${"00".repeat(32)}`,
      subject: "8",
      purpose: `0x${"00".repeat(32)}`,
      deadline: "1",
    };
    const body = (nonce: string, purposeText = "x") => ({
      request: { ...request, nonce },
      purposeText,
      signature: `0x${"1".repeat(130)}`,
    });
    for (const nonce of ["abc", "1e3", "-1", ""]) {
      const refused = ReadBody.safeParse(body(nonce));
      expect(refused.success, nonce).to.equal(false);
      expect(refused.error?.issues[0].message, nonce).to.equal("a whole number in decimal");
    }
    const nul = ReadBody.safeParse(body("1", "checking\u0000"));
    expect(nul.success).to.equal(false);
    expect(nul.error?.issues[0].message).to.equal("no NUL character");
  });

  it("refuses a whole number past 2^256 - 1 rather than wrap it", function () {
    const digests = new RequestDigests(dataDomain(1, getAddress(`0x${"11".repeat(20)}`)));
    const fields = QUERY_TYPES.AccessQuery;
    expect(() => digests.digest("AccessQuery", fields, { subject: 2n ** 256n, nonce: 1n, deadline: 1n })).to.throw(
      RangeError,
    );
  });
});

describe("keccak256 of the gated routes", function () {
  it("is the native addon's on linux-x64, and viem's digest of any bytes however they are split", function () {
    if (`${process.platform}-${process.arch}` === "linux-x64") expect(hashesNatively).to.equal(true);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 4 }), (parts) => {
        const whole = Buffer.concat(parts);
        expect(`0x${keccak(...parts).toString("hex")}`).to.equal(viemKeccak(whole));
      }),
    );
  });
});

describe("the signer of a request", function () {
  it("is recovered by libsecp256k1's native addon on linux-x64, not the JavaScript fallback", function () {
    if (`${process.platform}-${process.arch}` !== "linux-x64") this.skip(); // the prebuilt binaries CI runs on
    expect(recoversNatively).to.equal(true);
  });

  it("is the key that signed, as viem recovers it, with v as 27/28 or 0/1 and s low or high", async function () {
    await fc.assert(
      fc.asyncProperty(privateKey, bytes32, async (key, hash) => {
        const signer = new SigningKey(key);
        const { r, s, yParity } = signer.sign(hash);
        const address = new Wallet(key).address;
        const highS = N - BigInt(s);
        for (const signature of [
          join(BigInt(r), BigInt(s), 27 + yParity),
          join(BigInt(r), BigInt(s), yParity),
          join(BigInt(r), highS, 28 - yParity),
        ]) {
          expect(await recoverOrUndefined(hash, signature)).to.equal(address);
          expect(await viem(hash, signature)).to.equal(address);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("is no key for a signature viem refuses: a v other than 0, 1, 27, 28; r or s zero or past the order", async function () {
    const hash = `0x${"ab".repeat(32)}` as Hex;
    const { r, s } = new SigningKey(`0x${"11".repeat(32)}`).sign(hash);
    for (const signature of [
      join(BigInt(r), BigInt(s), 29),
      join(BigInt(r), BigInt(s), 2),
      join(BigInt(r), BigInt(s), 255),
      join(0n, BigInt(s), 27),
      join(BigInt(r), 0n, 27),
      join(BigInt(r), N, 27),
      join(N + 1n, BigInt(s), 27),
    ]) {
      expect(await recoverOrUndefined(hash, signature), signature).to.equal(undefined);
      expect(await viem(hash, signature), signature).to.equal(undefined);
    }
  });

  it("is some other key, not the signer, for a digest he did not sign", async function () {
    const wallet = Wallet.createRandom();
    const hash = `0x${"cd".repeat(32)}` as Hex;
    const signature = wallet.signingKey.sign(hash).serialized as Hex;
    const other = `0x${"ce".repeat(32)}` as Hex;
    expect(await recoverOrUndefined(hash, signature)).to.equal(wallet.address);
    expect(await recoverOrUndefined(other, signature)).to.not.equal(wallet.address);
    expect(await recoverOrUndefined(other, signature)).to.equal(await viem(other, signature));
  });
});
