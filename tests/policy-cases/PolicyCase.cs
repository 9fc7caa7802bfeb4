using System.Globalization;
using EdgeIoT.Firmware.Policy;
using Xunit;

namespace EdgeIoT.PolicyCases;

/// <summary>
/// One row of a shared policy case table (<c>tests/policy-cases/*.cases.tsv</c>): the
/// evaluator's inputs and the decision every component must reach for them. The hub, agent
/// and firmware test projects compile this file and copy the tables to <c>policies/</c>.
/// </summary>
public sealed class PolicyCase
{
    private const int ColumnCount = 14;
    private readonly string[] _columns;

    private PolicyCase(string[] columns)
    {
        _columns = columns;
        Input = new PolicyInput
        {
            Role = PolicyCodes.ParseRole(columns[0]),
            Tier = PolicyCodes.ParseTier(columns[1]),
            Payment = PolicyCodes.ParsePayment(columns[2]),
            EntitlementKnown = bool.Parse(columns[3]),
            OfflineSeconds = Number(4),
            DeviceOfflineAdmits = Number(5),
            SpendUsedMinor = Number(6),
            SpendRequestedMinor = Number(7),
            SpendAllowanceMinor = Number(8),
            DeviceOfflineSpendMinor = Number(9),
        };
    }

    public PolicyInput Input { get; }

    /// <summary>Expected outcome code: grant, grant_limited or deny.</summary>
    public string Outcome => _columns[10];

    public bool Grants => Outcome != "deny";

    public string Rule => _columns[11];

    /// <summary>Expected reject reason code, "none" for a grant.</summary>
    public string Reason => _columns[12];

    public uint SpendLimitMinor => Number(13);

    /// <summary>
    /// True when an entry scan can express the row: no spend and no earlier offline admits.
    /// Purchases and counters need the evaluator's own table test.
    /// </summary>
    public bool IsEntryScan =>
        Input.DeviceOfflineAdmits == 0 && Input.SpendUsedMinor == 0
        && Input.SpendRequestedMinor == 0 && Input.DeviceOfflineSpendMinor == 0;

    public static PolicyCase Parse(string row)
    {
        string[] columns = row.Split('\t');
        Assert.True(columns.Length == ColumnCount, $"a case row has {ColumnCount} tab-separated columns, this one {columns.Length}: {row}");
        return new PolicyCase(columns);
    }

    /// <summary>Every row of venue-default.cases.tsv, as text so each row names its own test case.</summary>
    public static TheoryData<string> AllRows() => Rows(entryOnly: false);

    /// <summary>The rows of venue-default.cases.tsv that an entry scan can express.</summary>
    public static TheoryData<string> EntryRows() => Rows(entryOnly: true);

    /// <summary>
    /// Checks the policy inputs a decision recorded (comma-separated, in the table's column
    /// order) against this row. Tier and payment come from the snapshot, so they are compared
    /// only when the row's entitlement is known.
    /// </summary>
    public void AssertRecordedInputs(string? recorded)
    {
        Assert.NotNull(recorded);
        string[] inputs = recorded.Split(',');
        Assert.Equal(_columns[0], inputs[0]);
        Assert.Equal(_columns[3..10], inputs[3..10]);
        if (Input.EntitlementKnown)
        {
            Assert.Equal(_columns[1..3], inputs[1..3]);
        }
    }

    private static TheoryData<string> Rows(bool entryOnly)
    {
        var data = new TheoryData<string>();
        foreach (string line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "policies", "venue-default.cases.tsv")))
        {
            if (line.Length > 0 && !line.StartsWith('#') && (!entryOnly || Parse(line).IsEntryScan))
            {
                data.Add(line);
            }
        }

        return data;
    }

    private uint Number(int column) => uint.Parse(_columns[column], CultureInfo.InvariantCulture);
}
