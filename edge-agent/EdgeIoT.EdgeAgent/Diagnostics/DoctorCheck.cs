namespace EdgeIoT.EdgeAgent.Diagnostics;

/// <summary>Result of one doctor check; a failed check names what to fix.</summary>
public sealed record DoctorCheck(string Name, bool Passed, string Detail, string? Fix)
{
    public static DoctorCheck Ok(string name, string detail) => new(name, Passed: true, detail, Fix: null);

    public static DoctorCheck Fail(string name, string detail, string fix) => new(name, Passed: false, detail, fix);
}
