// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title CivilDate
 * @notice Dates as registers write them: `yyyymmdd` numbers (19600315), in the proleptic Gregorian calendar, UTC.
 * Ages in whole years are then exact, birthdays and leap years included: `(today - birthDate) / 10000`.
 * The conversion from days is Howard Hinnant's `civil_from_days` / `days_from_civil`.
 */
library CivilDate {
    /// @notice The date (yyyymmdd, UTC) of a unix time.
    function fromTimestamp(uint256 timestamp) internal pure returns (uint32) {
        (uint256 year, uint256 month, uint256 day) = _civilFromDays(timestamp / 1 days);
        return uint32(year * 10000 + month * 100 + day);
    }

    /// @notice Whether `date` is a real date (yyyymmdd) between the years 1000 and 9999.
    function isValid(uint32 date) internal pure returns (bool) {
        uint256 year = date / 10000;
        uint256 month = (date / 100) % 100;
        uint256 day = date % 100;
        if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
        return day <= _daysInMonth(year, month);
    }

    /// @notice Whole years from `birthDate` to `date` (0 if `birthDate` is later).
    function yearsBetween(uint32 birthDate, uint32 date) internal pure returns (uint256) {
        return birthDate > date ? 0 : (date - birthDate) / 10000;
    }

    /// @notice Whole days from `from` to `to` (valid dates, `from` not after `to`).
    function daysBetween(uint32 from, uint32 to) internal pure returns (uint256) {
        return _daysFromCivil(to) - _daysFromCivil(from);
    }

    function _daysInMonth(uint256 year, uint256 month) private pure returns (uint256) {
        if (month == 2) return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
        return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
    }

    /// @dev Days since 0000-03-01 (a constant offset from the unix epoch, which cancels in differences).
    function _daysFromCivil(uint32 date) private pure returns (uint256) {
        uint256 year = date / 10000;
        uint256 month = (date / 100) % 100;
        uint256 day = date % 100;
        if (month <= 2) year -= 1;
        uint256 era = year / 400;
        uint256 yearOfEra = year - era * 400;
        uint256 dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        uint256 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra;
    }

    function _civilFromDays(uint256 daysSinceEpoch) private pure returns (uint256 year, uint256 month, uint256 day) {
        uint256 z = daysSinceEpoch + 719468;
        uint256 era = z / 146097;
        uint256 dayOfEra = z - era * 146097;
        uint256 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        uint256 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        uint256 mp = (5 * dayOfYear + 2) / 153;
        day = dayOfYear - (153 * mp + 2) / 5 + 1;
        month = mp < 10 ? mp + 3 : mp - 9;
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    }
}
