using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Verification
{
    /// <summary>Outcome of the token pipeline: the reason (None when valid) and the decoded claims.</summary>
    public class VerifyResult
    {
        public VerifyResult(RejectReason reason, TokenClaims claims)
        {
            Reason = reason;
            Claims = claims;
        }

        public VerifyResult(RejectReason reason, TokenClaims claims, DelegationCertificate delegation)
            : this(reason, claims)
        {
            Delegation = delegation;
        }

        public RejectReason Reason { get; private set; }

        /// <summary>Delegation certificate behind a delegated credential; null for other tokens.</summary>
        public DelegationCertificate Delegation { get; private set; }

        /// <summary>Decoded claims; null when the token could not be decoded at all.</summary>
        public TokenClaims Claims { get; private set; }

        public bool IsValid
        {
            get { return Reason == RejectReason.None; }
        }
    }
}
