using EdgeIoT.Firmware.Policy;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub.Checks;

/// <summary>
/// The offline policy file the hub publishes to devices (Hub:PolicyFile), parsed once at start
/// for the hub's own checks during a ledger outage.
/// </summary>
public sealed partial class HubPolicy
{
    public HubPolicy(HubOptions options, ILogger<HubPolicy> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        Current = Load(options.PolicyFile, logger);
    }

    /// <summary>The parsed policy, or null when none is configured or the file is invalid.</summary>
    public OfflinePolicy? Current { get; }

    private static OfflinePolicy? Load(string? path, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return null;
        }

        OfflinePolicy? policy = OfflinePolicy.TryParse(File.ReadAllBytes(path), out string error);
        if (policy is null)
        {
            LogInvalid(logger, path, error);
            return null;
        }

        LogLoaded(logger, policy.VersionLabel, path);
        return policy;
    }

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information,
        Message = "Offline policy {PolicyVersion} from {PolicyFile} decides checks during ledger outages")]
    private static partial void LogLoaded(ILogger logger, string policyVersion, string policyFile);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Error,
        Message = "Offline policy file {PolicyFile} is invalid ({Error}); checks during ledger outages use the snapshot alone")]
    private static partial void LogInvalid(ILogger logger, string policyFile, string error);
}
