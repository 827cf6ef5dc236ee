// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title RecordSchema
 * @notice Reads a register's schema (an ABI type list of named fields, `"uint32 birthDate,bytes32 documentHash"`)
 * into a layout of one code per head word of the ABI encoding, and checks data against it.
 *
 * Data are accepted only in the canonical ABI encoding (what `abi.encode` writes), so that one document has one
 * encoding and one hash: every static value in its type's range (no dirty high bits in an address, an `int8`
 * sign-extended, a `bool` 0 or 1, a `bytes4`'s low bytes zero), the elements of dynamic arrays likewise, the
 * dynamic values' contents in the order of their fields, each starting where the one before ended (no gap, no
 * overlap, no offset pointing back), zero padding after the bytes of a `bytes` or `string`, and nothing after the
 * last value.
 *
 * A field may end with the word `private` (`"uint32 birthDate private,bytes32 documentHash"`): its value never goes
 * on chain. The layout is that of the on-chain form: the public fields in order, then, when any field is private,
 * one more word (code 0), `privateHash = keccak256(abi.encodePacked(bytes32 salt, abi.encode(private fields in
 * order)))`, which commits to the private values without showing them (salted, as a birth date has few values).
 * Private fields are type-checked like public ones but add no word.
 *
 * Codes: 0 = any word (`uint256`, `int256`, `bytes32`); 1-31 = `uint<8k>` (`address` is 20); 33-63 = `int<8k>`
 * (32 + k); 65-95 = `bytes<k>` (64 + k); 96 = `bool`; 128 = `bytes` or `string`; 129 + c = an array of static
 * values of code c (129 for `uint256[]`, 130 for `uint8[]`, 225 for `bool[]`).
 */
library RecordSchema {
    /// @notice The most head words a schema's on-chain form may have: the layout fits one storage slot with the
    /// register's header.
    uint256 internal constant MAX_WORDS = 22;

    /// @notice The most fields a schema may name, public and private: private fields take no word, and this keeps
    /// the text that every reader of the register parses bounded.
    uint256 internal constant MAX_NAMED_FIELDS = 32;

    uint8 private constant _INT = 32;
    uint8 private constant _BYTES = 64;
    uint8 private constant _BOOL = 96;
    uint8 private constant _DYNAMIC_BYTES = 128;
    uint8 private constant _DYNAMIC_ARRAY = 129;

    /// @notice A schema's layout: its head words, whether any value is dynamic, one code per head word.
    struct Layout {
        uint8 words;
        bool dynamic;
        bytes22 codes;
    }

    /**
     * @notice Reads a schema into the layout of its on-chain form. Returns `ok` false, with the byte at which
     * reading stopped, when it is not a list of named fields of supported types (each perhaps marked `private`),
     * names more than {MAX_NAMED_FIELDS} fields, or has more than {MAX_WORDS} head words on chain (the field at
     * fault is the one that would pass the limit, counting the private hash's word from the first private field on).
     */
    function parse(string memory schema) internal pure returns (Layout memory layout, bool ok, uint256 position) {
        bytes memory text = bytes(schema);
        uint256 length = text.length;
        uint256 words; // the public fields' head words
        uint256 fields;
        bool anyPrivate;
        uint256 codes; // the codes, first word in the highest byte
        uint256 i;
        while (true) {
            i = _skipSpaces(text, i);
            uint256 typeStart = i;
            while (i < length && text[i] != " " && text[i] != ",") ++i;
            (bool known, uint8 code, uint256 count) = _type(text, typeStart, i);
            if (!known || ++fields > MAX_NAMED_FIELDS) return (layout, false, typeStart);
            bool isPrivate;
            (known, isPrivate, i) = _nameAndMark(text, i); // every field is named
            if (!known) return (layout, false, i);
            if (isPrivate) {
                anyPrivate = true;
                count = 0; // checked as a type, kept off chain
            }
            if (words + count + (anyPrivate ? 1 : 0) > MAX_WORDS) return (layout, false, typeStart);
            codes |= _codes(code, words, count);
            words += count;
            if (count > 0 && code >= _DYNAMIC_BYTES) layout.dynamic = true;
            if (i == length) break;
            if (text[i] != ",") return (layout, false, i);
            ++i;
        }
        // the private hash: a code-0 word after the public fields
        layout.words = uint8(anyPrivate ? words + 1 : words);
        layout.codes = bytes22(bytes32(codes));
        return (layout, true, length);
    }

    /**
     * @notice Checks that `data` is the canonical encoding of values of a layout. Returns the head word of the
     * field at fault (`ok` false), or, for a length that the layout does not allow, `word` = type(uint256).max with
     * the `expected` length (for a length shorter than the head or not whole words, the head's length).
     */
    function check(
        Layout memory layout,
        bytes calldata data
    ) internal pure returns (bool ok, uint256 word, uint256 expected) {
        uint256 head = uint256(layout.words) * 32;
        uint256 length = data.length;
        if (layout.dynamic ? (length < head || length % 32 != 0) : length != head) {
            return (false, type(uint256).max, head);
        }
        bytes32 codes = bytes32(layout.codes);
        uint256 next = head; // where the next dynamic value must start
        for (uint256 w = 0; w < layout.words; ++w) {
            uint8 code = uint8(codes[w]);
            if (code == 0) continue;
            uint256 value = uint256(bytes32(data[w * 32:w * 32 + 32]));
            if (code < _DYNAMIC_BYTES) {
                if (!_fits(code, value)) return (false, w, 0);
                continue;
            }
            // a dynamic value: its offset is where the previous one ended, its contents lie within the data
            if (value != next) return (false, w, 0);
            bool valid;
            (valid, next) = _checkDynamic(code, data, value);
            if (!valid) return (false, w, 0);
        }
        if (next != length) return (false, type(uint256).max, next); // words after the last value
        return (true, 0, 0);
    }

    /// @dev Whether `value` is in the range of the static type of `code`.
    function _fits(uint8 code, uint256 value) private pure returns (bool) {
        if (code == 0) return true;
        if (code < _INT) return value >> (8 * uint256(code)) == 0;
        if (code < _BYTES) {
            uint256 bits = 8 * uint256(code - _INT);
            int256 signed = int256(value);
            return signed >> (bits - 1) == 0 || signed >> (bits - 1) == -1;
        }
        if (code < _BOOL) return value << (8 * uint256(code - _BYTES)) == 0;
        return value <= 1; // _BOOL
    }

    /**
     * @dev Checks the dynamic value of `code` at `offset` (a multiple of 32, at most `data.length`): its length
     * word, then its bytes with zero padding or its elements each in range. Returns where the value ends.
     */
    function _checkDynamic(
        uint8 code,
        bytes calldata data,
        uint256 offset
    ) private pure returns (bool valid, uint256 end) {
        if (offset + 32 > data.length) return (false, 0);
        uint256 count = uint256(bytes32(data[offset:offset + 32]));
        uint256 start = offset + 32;
        uint256 room = data.length - start;
        if (code == _DYNAMIC_BYTES) {
            if (count > room) return (false, 0);
            end = start + ((count + 31) / 32) * 32; // within the data: `room` is whole words
            uint256 used = count % 32;
            // the last word holds `used` bytes of the value, then padding that must be zero
            if (used != 0 && uint256(bytes32(data[end - 32:end])) << (8 * used) != 0) return (false, 0);
            return (true, end);
        }
        if (count > room / 32) return (false, 0);
        end = start + count * 32;
        uint8 element = code - _DYNAMIC_ARRAY;
        if (element != 0) {
            for (uint256 p = start; p < end; p += 32) {
                if (!_fits(element, uint256(bytes32(data[p:p + 32])))) return (false, 0);
            }
        }
        return (true, end);
    }

    /// @dev The code and head words of the type in `text[start:end]`, if it is supported.
    function _type(
        bytes memory text,
        uint256 start,
        uint256 end
    ) private pure returns (bool known, uint8 code, uint256 count) {
        if (end <= start) return (false, 0, 0);
        if (text[end - 1] == "]") {
            uint256 open = end - 1;
            while (open > start && text[open] != "[") --open;
            if (open == start) return (false, 0, 0);
            (bool elementKnown, uint8 elementCode, ) = _elementary(text, start, open);
            if (!elementKnown || elementCode >= _DYNAMIC_BYTES) return (false, 0, 0);
            if (open + 2 == end) return (true, _DYNAMIC_ARRAY + elementCode, 1); // T[]: elements checked as T
            (bool isNumber, uint256 size) = _number(text, open + 1, end - 1);
            if (!isNumber || size == 0) return (false, 0, 0);
            return (true, elementCode, size); // T[k]: k words
        }
        return _elementary(text, start, end);
    }

    function _elementary(
        bytes memory text,
        uint256 start,
        uint256 end
    ) private pure returns (bool known, uint8 code, uint256 count) {
        uint256 digits = start;
        while (digits < end && !_isDigit(text[digits])) ++digits;
        bytes32 base = _word(text, start, digits);
        (bool hasSize, uint256 size) = _number(text, digits, end);
        if (digits == end) {
            if (base == "uint" || base == "int") return (true, 0, 1);
            if (base == "address") return (true, 20, 1);
            if (base == "bool") return (true, _BOOL, 1);
            if (base == "bytes" || base == "string") return (true, _DYNAMIC_BYTES, 1);
            return (false, 0, 0);
        }
        if (!hasSize) return (false, 0, 0);
        if (base == "uint" || base == "int") {
            if (size == 0 || size > 256 || size % 8 != 0) return (false, 0, 0);
            if (size == 256) return (true, 0, 1);
            return (true, uint8(size / 8) + (base == "int" ? _INT : 0), 1);
        }
        if (base == "bytes" && size > 0 && size <= 32) return (true, size == 32 ? 0 : _BYTES + uint8(size), 1);
        return (false, 0, 0);
    }

    /// @dev The decimal number in `text[start:end]` (at most 5 digits).
    function _number(bytes memory text, uint256 start, uint256 end) private pure returns (bool, uint256 value) {
        if (end <= start || end - start > 5) return (false, 0);
        for (uint256 i = start; i < end; ++i) {
            if (!_isDigit(text[i])) return (false, 0);
            value = value * 10 + (uint8(text[i]) - 48);
        }
        return (true, value);
    }

    /// @dev `text[start:end]` as a left-aligned word (the base names are shorter than 32 bytes).
    function _word(bytes memory text, uint256 start, uint256 end) private pure returns (bytes32 word) {
        if (end - start > 32) return bytes32(0);
        for (uint256 i = start; i < end; ++i) word |= bytes32(text[i]) >> (8 * (i - start));
    }

    /**
     * @dev Reads a field's name from `i` (after its type), then the word `private` if it follows as a whole word.
     * Returns whether there is a name, and where reading goes on: after the name and its mark with their spaces, or
     * where the name should have started.
     */
    function _nameAndMark(
        bytes memory text,
        uint256 i
    ) private pure returns (bool named, bool isPrivate, uint256 next) {
        uint256 start = _skipSpaces(text, i);
        uint256 end = _nameEnd(text, start);
        if (end == start || _isDigit(text[start])) return (false, false, start);
        next = _skipSpaces(text, end);
        uint256 markEnd = _nameEnd(text, next);
        if (markEnd == next || _word(text, next, markEnd) != "private") return (true, false, next);
        return (true, true, _skipSpaces(text, markEnd));
    }

    /// @dev The codes of `count` head words of `code` from word `first` on, placed as {Layout-codes} holds them.
    function _codes(uint8 code, uint256 first, uint256 count) private pure returns (uint256 codes) {
        for (uint256 c = 0; c < count; ++c) codes |= uint256(code) << (8 * (31 - first - c));
    }

    function _nameEnd(bytes memory text, uint256 i) private pure returns (uint256) {
        while (i < text.length && _isNameChar(text[i])) ++i;
        return i;
    }

    function _skipSpaces(bytes memory text, uint256 i) private pure returns (uint256) {
        while (i < text.length && text[i] == " ") ++i;
        return i;
    }

    function _isDigit(bytes1 char) private pure returns (bool) {
        return char >= "0" && char <= "9";
    }

    function _isNameChar(bytes1 char) private pure returns (bool) {
        return (char >= "a" && char <= "z") || (char >= "A" && char <= "Z") || _isDigit(char) || char == "_";
    }
}
