namespace EdgeIoT.Firmware.Verification
{
    /// <summary>Stable snake_case names of reject reasons, used in MQTT JSON and reports.</summary>
    public static class RejectReasons
    {
        public static string ToCode(RejectReason reason)
        {
            switch (reason)
            {
                case RejectReason.None: return "none";
                case RejectReason.ScannerMisconfigured: return "scanner_misconfigured";
                case RejectReason.Malformed: return "malformed";
                case RejectReason.UnsupportedVersion: return "unsupported_version";
                case RejectReason.UnknownKeyId: return "unknown_kid";
                case RejectReason.BadSignature: return "bad_signature";
                case RejectReason.NotYetValid: return "not_yet_valid";
                case RejectReason.Expired: return "expired";
                case RejectReason.ClockUnreliable: return "clock_unreliable";
                case RejectReason.WrongEvent: return "wrong_event";
                case RejectReason.WrongZone: return "wrong_zone";
                case RejectReason.Revoked: return "revoked";
                case RejectReason.AlreadyAdmitted: return "already_admitted";
                case RejectReason.KeyRevoked: return "key_revoked";
                case RejectReason.PolicyDenied: return "policy_denied";
                case RejectReason.UnknownEntitlement: return "unknown_entitlement";
                case RejectReason.SpendLimitExceeded: return "spend_limit_exceeded";
                case RejectReason.RotatingCodeInvalid: return "rotating_code_invalid";
                case RejectReason.RotatingCodeExpired: return "rotating_code_expired";
                case RejectReason.DelegationUnknown: return "delegation_unknown";
                case RejectReason.DelegationExceeded: return "delegation_exceeded";
                case RejectReason.UidMismatch: return "uid_mismatch";
                default: return "unknown";
            }
        }
    }
}
