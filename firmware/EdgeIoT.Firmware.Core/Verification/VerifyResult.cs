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

        public RejectReason Reason { get; private set; }

        /// <summary>Decoded claims; null when the token could not be decoded at all.</summary>
        public TokenClaims Claims { get; private set; }

        public bool IsValid
        {
            get { return Reason == RejectReason.None; }
        }
    }
}
