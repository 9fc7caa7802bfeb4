namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>Values of <c>clockState</c> in the device status, shared with the firmware core.</summary>
public static class ClockStates
{
    public const string Synchronized = "synchronized";

    /// <summary>A hub clock step is held: the device keeps its time and decides by it.</summary>
    public const string HubStep = "hub_step";

    /// <summary>No recent beacon, or the device clock is too far off the hub: time checks deny <c>clock_unreliable</c>.</summary>
    public const string Unreliable = "unreliable";
}
