namespace EdgeIoT.Hub.Options;

/// <summary>Settings of the HTTP API.</summary>
public sealed class HttpOptions
{
    /// <summary>Listen URLs separated by ';'; port 0 lets the operating system choose.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";
}
