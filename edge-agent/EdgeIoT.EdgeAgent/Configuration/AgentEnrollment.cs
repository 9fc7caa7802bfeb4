namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>
/// Whether resolving the options may enroll the device at the hub when it has no stored
/// credentials. The doctor command turns it off, because an enrollment replaces the device's
/// MQTT password at the hub, which would lock out an agent already running with the old one.
/// </summary>
public sealed record AgentEnrollment(bool Enabled)
{
    public static AgentEnrollment Allowed { get; } = new(Enabled: true);

    public static AgentEnrollment Disabled { get; } = new(Enabled: false);
}
