using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Import;

/// <summary>Imports a guest CSV into the entitlements table and publishes the new snapshot.</summary>
public sealed partial class GuestImporter(
    EntitlementStore store, SnapshotCache snapshot, HubOptions options, ILogger<GuestImporter> logger)
{
    /// <summary>
    /// Loads every valid row and reports the others. Throws <see cref="FormatException"/> for an
    /// unusable file and <see cref="ImportRejectedException"/> when the import would leave fewer
    /// than MinSnapshotSize entitlements; in both cases nothing changes.
    /// </summary>
    public ImportResult Import(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);

        var (rows, errors) = GuestCsv.Parse(csv);
        ImportOutcome outcome = store.Import(rows, options.MinSnapshotSize)
            ?? throw new ImportRejectedException(
                $"The import was rejected: it would leave fewer than {options.MinSnapshotSize} entitlement(s) "
                + $"({rows.Count} valid row(s), {errors.Count} rejected), and an empty snapshot would deny "
                + "every guest offline. Fix the rejected rows and import again.",
                errors);

        snapshot.Rebuild();
        LogImported(outcome.Imported, errors.Count, outcome.SnapshotVersion, outcome.TotalEntitlements);
        return new ImportResult(outcome.Imported, errors, outcome.SnapshotVersion);
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information,
        Message = "Imported {Imported} guests, rejected {Rejected} rows; snapshot version {Version} holds {Total} entitlements")]
    private partial void LogImported(int imported, int rejected, uint version, long total);
}
