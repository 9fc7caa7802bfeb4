using System.Diagnostics;
using System.Globalization;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// In External mode with Hub:Mqtt:External:PasswordFile set, rewrites Mosquitto's password and
/// ACL files at start and after every enrollment, then sends SIGHUP to the Mosquitto process in
/// Hub:Mqtt:External:PidFile so it reloads them. Registered before the broker connection, so the
/// hub's own account is in the files before the hub logs in.
/// </summary>
public sealed class MosquittoAuthSync(
    HubOptions options,
    DeviceStore devices,
    MosquittoAuthFiles files,
    ILogger<MosquittoAuthSync> logger) : IHostedService
{
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _writeGate = new();

    private ExternalBrokerOptions External => options.Mqtt.External;

    private bool Enabled => options.Mqtt.Mode == BrokerMode.External && !string.IsNullOrEmpty(External.PasswordFile);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            devices.Enrolled += OnEnrolled;
            WriteAndReload();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        devices.Enrolled -= OnEnrolled;
        return Task.CompletedTask;
    }

    /// <summary>Rewrites both files and signals Mosquitto to reload them.</summary>
    public void WriteAndReload()
    {
        lock (_writeGate)
        {
            IReadOnlyList<string> skipped = files.Write(External.PasswordFile!, External.AclFile!);
            if (skipped.Count > 0)
            {
                BrokerLog.AuthMissingHashes(logger, string.Join(", ", skipped));
            }

            BrokerLog.AuthFilesWritten(logger, External.PasswordFile!, External.AclFile!, files.CountAccounts());
            Reload();
        }
    }

    private void OnEnrolled(string deviceId) => WriteAndReload();

    private void Reload()
    {
        string? pidFile = External.PidFile;
        if (string.IsNullOrEmpty(pidFile))
        {
            return;
        }

        try
        {
            int pid = int.Parse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            using Process kill = Process.Start("kill", ["-HUP", pid.ToString(CultureInfo.InvariantCulture)]);
            if (!kill.WaitForExit(KillTimeout) || kill.ExitCode != 0)
            {
                BrokerLog.AuthReloadFailed(logger, pidFile, $"'kill -HUP {pid}' failed; is Mosquitto running as that process?");
            }
        }
        catch (Exception exception) when (exception is IOException or FormatException or OverflowException
            or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            BrokerLog.AuthReloadFailed(logger, pidFile, exception.Message);
        }
    }
}
