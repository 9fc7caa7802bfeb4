using System.Globalization;

namespace EdgeIoT.Hub.Import;

/// <summary>Reads the named columns of one CSV row and keeps the first error found.</summary>
internal sealed class RowReader(CsvRecord record, int row, Dictionary<string, int> columns)
{
    public ImportRowError? Error { get; private set; }

    public string Get(string column) =>
        columns.TryGetValue(column, out int index) && index < record.Fields.Count
            ? record.Fields[index].Trim()
            : string.Empty;

    public string Required(string column)
    {
        string value = Get(column);
        if (value.Length == 0)
        {
            Fail(column, "is missing");
        }

        return value;
    }

    public T? Enum<T>(string column, string allowed)
        where T : struct, System.Enum
    {
        string value = Get(column);
        bool valid = value.Length > 0
            && !char.IsDigit(value[0])
            && System.Enum.TryParse(value, ignoreCase: true, out T parsed)
            && System.Enum.IsDefined(parsed);
        if (!valid)
        {
            Fail(column, $"is not one of {allowed}");
            return null;
        }

        return System.Enum.Parse<T>(value, ignoreCase: true);
    }

    public byte? Zone(string column)
    {
        string value = Get(column);
        if (value.Length == 0)
        {
            return 0;
        }

        if (!byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out byte zone))
        {
            Fail(column, "is not a zone number from 0 to 255");
            return null;
        }

        return zone;
    }

    /// <summary>
    /// Fails a row that has a non-empty field beyond the header's last column. An unquoted comma
    /// inside a field shifts every later field, so a seat such as "A,12" would become zone 12.
    /// Empty fields there, as trailing commas leave, are ignored.
    /// </summary>
    public void RejectFieldsBeyondHeader(int headerFields)
    {
        for (int i = headerFields; i < record.Fields.Count; i++)
        {
            string value = record.Fields[i].Trim();
            if (value.Length > 0)
            {
                Error ??= new ImportRowError(
                    row,
                    string.Create(CultureInfo.InvariantCulture, $"field {i + 1}"),
                    value,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"The row has {record.Fields.Count} fields but the header has {headerFields}; quote a field that contains a comma."));
                return;
            }
        }
    }

    public void Fail(string column, string problem)
    {
        Error ??= new ImportRowError(row, column, Get(column), $"{column} {problem}.");
    }
}
