using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.App
{
    /// <summary>What the turnstile decided for one scan, as hosts and tests observe it.</summary>
    public class FirmwareDecision
    {
        public bool Admitted { get; set; }

        public RejectReason Reason { get; set; }

        /// <summary>Policy rule that decided, or null when the token itself was rejected.</summary>
        public string PolicyRule { get; set; }

        /// <summary>Inputs the policy decided from (<see cref="Policy.PolicyInput.ToCaseColumns"/>), or null without a policy decision.</summary>
        public string PolicyInputs { get; set; }

        /// <summary>Version label of the policy in force, or null before the first policy arrived.</summary>
        public string PolicyVersion { get; set; }

        /// <summary>Token id as 16 hex digits, or null when the scan did not decode.</summary>
        public string TokenId { get; set; }

        /// <summary>Entitlement id of the token, or -1 when the scan did not decode.</summary>
        public long EntitlementId { get; set; }

        /// <summary>Sequence number of the stored event, or -1 when the queue refused it.</summary>
        public long Seq { get; set; }

        /// <summary>Scan received to gate command, in microseconds.</summary>
        public long LatencyMicros { get; set; }
    }
}
