namespace EdgeIoT.Hub.Checks;

/// <summary>Log events of the hub's offline policy enforcement (ids 1505 and up).</summary>
internal static partial class PolicyLog
{
    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning,
        Message = "Payment {EventId} reached the hub {DelaySeconds} s after the device made it, past the policy's forwardPaymentsWithinSeconds {DeadlineSeconds}; it is flagged forwardedLate")]
    public static partial void PaymentForwardedLate(ILogger logger, string eventId, long delaySeconds, uint deadlineSeconds);
}
