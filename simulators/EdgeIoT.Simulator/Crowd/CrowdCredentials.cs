namespace EdgeIoT.Simulator.Crowd;

/// <summary>
/// What the crowd uses besides the hub's API. It contains the codes issued before the event
/// that have expired by now, the id of the other event whose codes some visitors bring, the
/// venue's clock, and the file where the hub "texts" one-time codes. It also decides which
/// first frames show only part of the code.
/// </summary>
public sealed record CrowdCredentials(
    IReadOnlyDictionary<int, string> ExpiredCodes,
    uint OtherEventId,
    Func<DateTimeOffset> Now,
    string SmsOutboxFile,
    double PartialShare,
    int Seed)
{
    /// <summary>
    /// True when the first frame of visit <paramref name="index"/> shows only part of the
    /// code. The choice depends only on seed and index (HashCode is randomized per process).
    /// </summary>
    public bool IsPartialFrame(int index) =>
        PartialShare > 0 && new Random(unchecked((Seed * 7919) + (index * 104729) + 17)).NextDouble() < PartialShare;
}
