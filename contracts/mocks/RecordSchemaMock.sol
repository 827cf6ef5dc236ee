// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {RecordSchema} from "../libraries/RecordSchema.sol";

/**
 * @notice Test double: exposes {RecordSchema-parse}, and builds records' on-chain forms the way a contract holding
 * their clear values does (a rule), so that the tools' encoding is held equal to Solidity's.
 */
contract RecordSchemaMock {
    function parse(
        string calldata schema
    ) external pure returns (RecordSchema.Layout memory layout, bool ok, uint256 position) {
        return RecordSchema.parse(schema);
    }

    /// @notice A private part's commitment: `keccak256(abi.encodePacked(bytes32 salt, bytes privatePart))`.
    function commit(bytes calldata privatePart, bytes32 salt) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(salt, privatePart));
    }

    /// @notice `uint32 birthDate private,bytes32 placeOfBirth private,bytes32 documentHash`, on chain.
    function birthOnChain(
        uint32 birthDate,
        bytes32 placeOfBirth,
        bytes32 documentHash,
        bytes32 salt
    ) external pure returns (bytes memory) {
        return abi.encode(documentHash, keccak256(abi.encodePacked(salt, abi.encode(birthDate, placeOfBirth))));
    }

    /// @notice `bytes32 jurisdiction,uint32 since private,string streetAddress private,bytes32 documentHash`, on chain.
    function residenceOnChain(
        bytes32 jurisdiction,
        uint32 since,
        string calldata streetAddress,
        bytes32 documentHash,
        bytes32 salt
    ) external pure returns (bytes memory) {
        bytes32 privateHash = keccak256(abi.encodePacked(salt, abi.encode(since, streetAddress)));
        return abi.encode(jurisdiction, documentHash, privateHash);
    }
}
