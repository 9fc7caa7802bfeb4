namespace EdgeIoT.Ledger.Api;

/// <summary>Content of {dataDir}/ledger.endpoints.json: the URL the ledger is bound to.</summary>
public sealed record EndpointsFile(string Url);
