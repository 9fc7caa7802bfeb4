using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Policy
{
    /// <summary>An offline policy decision with the rule that made it.</summary>
    public class PolicyDecision
    {
        public PolicyDecision(PolicyOutcome outcome, string ruleName, RejectReason reason, uint spendLimitMinor)
        {
            Outcome = outcome;
            RuleName = ruleName;
            Reason = reason;
            SpendLimitMinor = spendLimitMinor;
        }

        public PolicyOutcome Outcome { get; private set; }

        /// <summary>Name of the rule or guardrail that decided, e.g. "paid-guests" or "guardrail:maxOfflineAdmitsPerDevice".</summary>
        public string RuleName { get; private set; }

        /// <summary><see cref="RejectReason.None"/> for a grant, otherwise why the scan was denied.</summary>
        public RejectReason Reason { get; private set; }

        /// <summary>Most offline spend allowed on the token after this decision; 0 when denied.</summary>
        public uint SpendLimitMinor { get; private set; }

        public bool IsGrant
        {
            get { return Outcome != PolicyOutcome.Deny; }
        }
    }
}
