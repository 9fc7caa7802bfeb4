using EdgeIoT.Firmware.Policy;

namespace EdgeIoT.Firmware.Tests.Policy;

/// <summary>Loads the policy files shipped in simulators/data/policies, copied next to the tests.</summary>
internal static class PolicyFiles
{
    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "policies", fileName);

    public static byte[] VenueDefaultBytes() => File.ReadAllBytes(PathOf("venue-default.json"));

    public static OfflinePolicy VenueDefault()
    {
        OfflinePolicy? policy = OfflinePolicy.TryParse(VenueDefaultBytes(), out string error);
        Assert.True(policy is not null, error);
        return policy;
    }
}
