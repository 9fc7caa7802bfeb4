using EdgeIoT.Simulator.Reporting;
using Spectre.Console;

namespace EdgeIoT.Simulator.Commands;

/// <summary>Prints the event report as tables on the console.</summary>
public static class ConsoleReport
{
    public static void Print(EventReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        string title = $"Event report: {report.Scenario}, seed {report.Seed}, {report.DurationSeconds:F0} s";
        AnsiConsole.WriteLine();
        if (AnsiConsole.Profile.Out.IsTerminal)
        {
            AnsiConsole.Write(new Rule(Markup.Escape(title)));
        }
        else
        {
            // A rule spans the whole console width, which is set very wide when output is redirected.
            AnsiConsole.WriteLine(title);
        }

        PrintDecisions(report);
        PrintLatency(report);
        PrintReconciliation(report);
        PrintFaults(report);
        if (report.Interruption is { } interruption)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[yellow bold]PARTIAL[/]: run {interruption.Reason} in {interruption.Describe()}; expected outcomes were not judged.");
            return;
        }

        PrintExpectations(report);
        if (report.Passed)
        {
            AnsiConsole.MarkupLine("[green bold]PASSED[/]: every expected outcome held.");
        }
        else
        {
            AnsiConsole.MarkupLine("[red bold]FAILED[/]");
            foreach (string failure in report.Failures)
            {
                AnsiConsole.MarkupLineInterpolated($"  [red]- {failure}[/]");
            }
        }
    }

    private static void PrintDecisions(EventReport report)
    {
        DecisionSummary decisions = report.Decisions;
        var table = new Table().AddColumns("guests", "count");
        table.AddRow("guest list imported", $"{report.GuestList.Imported} ({report.GuestList.Rejected} rows rejected)");
        table.AddRow("admitted", decisions.Admitted.ToString());
        foreach ((string reason, int count) in decisions.DeniedByReason)
        {
            table.AddRow($"denied: {reason}", count.ToString());
        }

        table.AddRow("unreadable camera frames (rescanned)", decisions.Unreadable.ToString());
        if (decisions.ByNfcTag > 0)
        {
            table.AddRow("decided on NFC tags", decisions.ByNfcTag.ToString());
        }

        table.AddRow("decided offline", report.Offline.Decisions.ToString());
        foreach ((string policy, int count) in report.Offline.ByPolicyVersion)
        {
            table.AddRow($"  by policy {policy}", count.ToString());
        }

        foreach ((string kind, int presented) in report.BadActors.Presented)
        {
            table.AddRow($"bad actors: {kind} admitted", $"{report.BadActors.Admitted.GetValueOrDefault(kind)} of {presented}");
        }

        table.AddRow("admits annulled (nobody passed)", report.Gates.Annulled.ToString());
        table.AddRow("tailgates (passage without an admit)", report.Gates.Tailgates.ToString());
        WalkInSummary walkIns = report.WalkIns;
        table.AddRow("walk-in purchases", $"{walkIns.Purchases}, {walkIns.SalesMinor / 100.0:F2} EUR");
        table.AddRow(
            "creator assistant sales (for creators)", $"{walkIns.AssistantSales}, {walkIns.AssistantSalesMinor / 100.0:F2} EUR");
        table.AddRow("receipts printed", $"{walkIns.ReceiptsPrinted} of {walkIns.Purchases + walkIns.AssistantSales} sales");
        AnsiConsole.Write(table);
    }

    private static void PrintLatency(EventReport report)
    {
        var table = new Table().AddColumns("scan to gate", "decisions", "p50 ms", "p95 ms", "p99 ms", "max ms");
        foreach ((string deviceClass, LatencySummary latency) in report.Latency)
        {
            table.AddRow(
                deviceClass,
                latency.Count.ToString(),
                latency.P50Ms.ToString("F2"),
                latency.P95Ms.ToString("F2"),
                latency.P99Ms.ToString("F2"),
                latency.MaxMs.ToString("F2"));
        }

        AnsiConsole.Write(table);
    }

    private static void PrintReconciliation(EventReport report)
    {
        ReconciliationSummary reconciliation = report.Reconciliation;
        var table = new Table().AddColumns("reconciliation", "count");
        table.AddRow("events produced at the edge", reconciliation.ProducedAtEdge.ToString());
        table.AddRow("events in the central ledger", reconciliation.InLedger.ToString());
        table.AddRow("lost", reconciliation.Lost.ToString());
        table.AddRow("applied twice", reconciliation.AppliedTwice.ToString());
        table.AddRow("redeliveries absorbed by the ledger", reconciliation.DuplicatesAbsorbed.ToString());
        foreach ((string lane, long peak) in report.Queues.PeakDepthByLane)
        {
            table.AddRow($"peak hub queue: {lane}", peak.ToString());
        }

        table.AddRow("disputes", report.Disputes.Count.ToString());
        foreach ((string kind, int count) in report.Disputes.ByKind)
        {
            table.AddRow($"  {kind}", count.ToString());
        }

        AnsiConsole.Write(table);
    }

    private static void PrintFaults(EventReport report)
    {
        if (report.Faults.Count == 0 && report.OfflinePeriods.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("fault or offline period", "target", "from s", "to s", "detail");
        foreach (FaultRecord fault in report.Faults)
        {
            table.AddRow(
                Markup.Escape(fault.Kind), Markup.Escape(fault.Target ?? "hub"), fault.StartSecond.ToString("F1"),
                fault.EndSecond.ToString("F1"), Markup.Escape(fault.Detail ?? ""));
        }

        foreach (OfflinePeriod period in report.OfflinePeriods)
        {
            table.AddRow(
                "offline from the hub", Markup.Escape(period.DeviceId), period.StartSecond.ToString("F1"),
                period.EndSecond.ToString("F1"), "");
        }

        AnsiConsole.Write(table);
    }

    private static void PrintExpectations(EventReport report)
    {
        var table = new Table().AddColumns("expected outcome", "actual", "");
        foreach (ExpectationResult result in report.Expectations)
        {
            table.AddRow(
                Markup.Escape(result.Outcome),
                result.Actual.ToString("0.###"),
                result.Met ? "[green]met[/]" : "[red]NOT MET[/]");
        }

        AnsiConsole.Write(table);
    }
}
