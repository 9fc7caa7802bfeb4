namespace EdgeIoT.Ledger.Disputes;

/// <summary>Kinds of dispute the ledger detects.</summary>
public static class DisputeKinds
{
    /// <summary>A single-entry entitlement admitted by two or more scans, at least one of them offline.</summary>
    public const string DoubleAdmit = "double_admit";

    /// <summary>An admit whose device time is later than a cancellation of the same entitlement.</summary>
    public const string AdmitAfterCancel = "admit_after_cancel";

    /// <summary>An online admit and an offline decision for the same check nonce: the hub's reply never arrived.</summary>
    public const string LostReply = "lost_reply";
}
