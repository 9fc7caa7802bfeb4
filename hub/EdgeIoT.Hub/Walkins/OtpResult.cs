namespace EdgeIoT.Hub.Walkins;

/// <summary>Outcome of a one-time code request or verification.</summary>
public enum OtpResult
{
    Sent,
    Valid,

    /// <summary>The code is wrong or no code was requested for the phone.</summary>
    Invalid,
    Expired,

    /// <summary>Too many wrong codes; the phone is locked out for a while.</summary>
    Locked,

    /// <summary>A code was sent to this phone moments ago.</summary>
    RateLimited,
}
