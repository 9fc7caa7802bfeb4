namespace EdgeIoT.Hub.Checks;

/// <summary>How an assistant's token carries its delegation certificate.</summary>
public enum CertificateForm
{
    /// <summary>The whole 99-byte certificate follows the token; any gate can check it offline.</summary>
    Embedded,

    /// <summary>A 4-byte reference follows the token; the gate needs the hub's delegation list.</summary>
    Reference,
}
