using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>Checks the resolved settings; each failure names the key, the value and the valid range.</summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var failures = new List<string>();
        Require(failures, !string.IsNullOrWhiteSpace(options.DeviceId), "Agent:DeviceId is missing.");
        Require(failures, !string.IsNullOrWhiteSpace(options.Venue),
            "Agent:Venue is missing; set it or Agent:HubEndpointsFile.");
        Require(failures, !string.IsNullOrWhiteSpace(options.DataDirectory), "Agent:DataDirectory is missing.");
        Require(failures, options.Mqtt.Port is >= 1 and <= 65535,
            $"Agent:Mqtt:Port {options.Mqtt.Port} is invalid: use 1 to 65535, or set Agent:HubEndpointsFile.");
        Require(failures, string.IsNullOrEmpty(options.Mqtt.TlsCaFile) || File.Exists(options.Mqtt.TlsCaFile),
            $"Agent:Mqtt:TlsCaFile '{options.Mqtt.TlsCaFile}' does not exist.");
        Require(failures, options.ClockSkewSeconds is >= 0 and <= 120,
            $"Agent:ClockSkewSeconds {options.ClockSkewSeconds} is invalid: use 0 to 120.");
        Require(failures, options.OnlineCheckTimeout > TimeSpan.Zero,
            $"Agent:OnlineCheckTimeout {options.OnlineCheckTimeout} is invalid: it must be positive.");
        Require(failures, options.DebounceWindow >= TimeSpan.Zero,
            $"Agent:DebounceWindow {options.DebounceWindow} is invalid: it must not be negative.");
        Require(failures, options.KeyResyncInterval >= TimeSpan.FromSeconds(1) && options.KeyResyncInterval <= TimeSpan.FromHours(1),
            $"Agent:KeyResyncInterval {options.KeyResyncInterval} is invalid: use 00:00:01 to 01:00:00.");
        Require(failures, options.PassageTimeout > TimeSpan.Zero,
            $"Agent:PassageTimeout {options.PassageTimeout} is invalid: it must be positive.");
        Require(failures, options.OutboxCapacity >= 1,
            $"Agent:OutboxCapacity {options.OutboxCapacity} is invalid: it must be at least 1.");
        Require(failures, options.Hardware.PrinterStatusInterval > TimeSpan.Zero,
            $"Agent:Hardware:PrinterStatusInterval {options.Hardware.PrinterStatusInterval} is invalid: it must be positive.");
        Require(failures, options.Hardware.PassageDebounce >= TimeSpan.Zero && options.Hardware.PassageDebounce <= TimeSpan.FromSeconds(5),
            $"Agent:Hardware:PassageDebounce {options.Hardware.PassageDebounce} is invalid: use 00:00:00 to 00:00:05.");
        Require(failures, !options.Hardware.SimulatedPassage || options.Hardware.Mode == "simulated",
            $"Agent:Hardware:SimulatedPassage is invalid with Agent:Hardware:Mode '{options.Hardware.Mode}': it needs Mode simulated.");
        Require(failures, options.Hardware.NfcReader is "pn532" or "mfrc522",
            $"Agent:Hardware:NfcReader '{options.Hardware.NfcReader}' is invalid: use pn532 or mfrc522.");
        Require(failures, options.Hardware.NfcSpiBus >= 0 && options.Hardware.NfcSpiChipSelect >= 0,
            $"Agent:Hardware:NfcSpiBus {options.Hardware.NfcSpiBus} and NfcSpiChipSelect {options.Hardware.NfcSpiChipSelect} are invalid: use 0 or more.");
        ValidateRootKey(failures, options.RootPublicKey);
        if (options.Link.Validate() is string linkError)
        {
            failures.Add("Agent:Link:" + linkError);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Decodes the base64 venue root key; throws naming the value when it is not 32 bytes.</summary>
    /// <summary>Decodes Agent:RotatingCodeKey; the message never shows the value, because it is secret.</summary>
    public static byte[] DecodeRotatingCodeKey(string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException exception)
        {
            throw new FormatException("Agent:RotatingCodeKey is not valid base64; copy it from the enrollment response.", exception);
        }

        return key.Length == 32
            ? key
            : throw new FormatException($"Agent:RotatingCodeKey decodes to {key.Length} bytes; the key has 32.");
    }

    public static byte[] DecodeRootKey(string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException exception)
        {
            throw new FormatException($"Agent:RootPublicKey '{base64}' is not valid base64.", exception);
        }

        if (key.Length != 32)
        {
            throw new FormatException(
                $"Agent:RootPublicKey '{base64}' decodes to {key.Length} bytes; an Ed25519 public key has 32.");
        }

        return key;
    }

    private static void ValidateRootKey(List<string> failures, string rootPublicKey)
    {
        if (string.IsNullOrWhiteSpace(rootPublicKey))
        {
            failures.Add("Agent:RootPublicKey is missing; set it, Agent:HubEndpointsFile or Agent:EnrollUrl.");
            return;
        }

        try
        {
            DecodeRootKey(rootPublicKey);
        }
        catch (FormatException exception)
        {
            failures.Add(exception.Message);
        }
    }

    private static void Require(List<string> failures, bool condition, string message)
    {
        if (!condition)
        {
            failures.Add(message);
        }
    }
}
