namespace EdgeIoT.Hardware;

/// <summary>Result of one opening: somebody passed, or the opening timed out unused.</summary>
public enum PassageOutcome
{
    Passed,
    Annulled,
}
