namespace EdgeIoT.Hardware;

/// <summary>A turnstile or door opened by a relay pulse, with a passage sensor.</summary>
public interface IGate : IDisposable
{
    /// <summary>
    /// Starts the relay pulse and returns at once (the "gate command"). It never blocks on the
    /// pulse.
    /// </summary>
    void Open();

    /// <summary>
    /// Completes when the passage sensor reports a passage (<see cref="PassageOutcome.Passed"/>)
    /// or <paramref name="timeout"/> ends with nobody passing (<see cref="PassageOutcome.Annulled"/>).
    /// </summary>
    Task<PassageOutcome> WaitForPassageAsync(TimeSpan timeout, CancellationToken cancellationToken);

    GateState State { get; }
}
