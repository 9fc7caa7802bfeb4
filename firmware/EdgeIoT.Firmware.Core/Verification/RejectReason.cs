namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// Why a scan was not admitted. The numeric values are part of the MQTT contract and of
    /// the flash queue format, so existing values never change.
    /// </summary>
    public enum RejectReason : byte
    {
        None = 0,

        /// <summary>Scanner output contained characters a token never has: the scanner is set up wrong.</summary>
        ScannerMisconfigured = 1,

        /// <summary>The text or bytes are not a well-formed token.</summary>
        Malformed = 2,
        UnsupportedVersion = 3,
        UnknownKeyId = 4,
        BadSignature = 5,
        NotYetValid = 6,
        Expired = 7,

        /// <summary>The device clock is not synchronized, so no time-based decision is possible.</summary>
        ClockUnreliable = 8,
        WrongEvent = 9,
        WrongZone = 10,

        /// <summary>The entitlement was cancelled or its epoch moved past the token's.</summary>
        Revoked = 11,

        /// <summary>The same token id was admitted before; reported as "already admitted".</summary>
        AlreadyAdmitted = 12,
        KeyRevoked = 13,

        /// <summary>The offline policy denied the scan; the decision names the rule.</summary>
        PolicyDenied = 14,
        UnknownEntitlement = 15,
        SpendLimitExceeded = 16,

        /// <summary>A pass without a rotating code, with a wrong code, or at a gate holding no rotating-code key.</summary>
        RotatingCodeInvalid = 17,

        /// <summary>A genuine rotating code whose time step is past the accepted window: a screenshot.</summary>
        RotatingCodeExpired = 18,

        /// <summary>A delegated credential whose delegation certificate the device has neither stored nor received.</summary>
        DelegationUnknown = 19,

        /// <summary>A delegated credential outside its certificate: other people, role, zone, spend or time.</summary>
        DelegationExceeded = 20,

        /// <summary>A wristband credential read from a chip whose UID is not the one it was signed for: a copy.</summary>
        UidMismatch = 21,
    }
}
