namespace EdgeIoT.Simulator.Orchestration;

/// <summary>Seeds of a lane's own random choices (which frames blur), from the scenario seed and the lane id.</summary>
public static class LaneSeeds
{
    public static int For(int scenarioSeed, string laneId)
    {
        ArgumentNullException.ThrowIfNull(laneId);

        // string.GetHashCode is randomized per process, and the seed must repeat across runs.
        int hash = 17;
        foreach (char c in laneId)
        {
            hash = unchecked((hash * 31) + c);
        }

        return unchecked(scenarioSeed + (hash & 0x7FFF));
    }
}
