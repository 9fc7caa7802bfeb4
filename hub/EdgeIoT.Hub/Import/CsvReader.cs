using System.Text;

namespace EdgeIoT.Hub.Import;

/// <summary>
/// A small RFC 4180 reader: fields separated by commas, records by CRLF or LF, fields in
/// double quotes may contain commas, line breaks and doubled quotes ("" for one quote). A
/// closing quote must be followed by a comma, a line break or the end of the text: a stray
/// quote would otherwise join the following records into one field and lose them.
/// </summary>
public static class CsvReader
{
    /// <summary>
    /// Splits the text into records. Each record carries the 1-based line on which it starts.
    /// Throws <see cref="FormatException"/> naming the line of an unterminated quoted field or
    /// of text after a closing quote.
    /// </summary>
    public static IReadOnlyList<CsvRecord> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int position = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        bool recordHasContent = false;

        while (position < text.Length)
        {
            char c = text[position];
            if (c == '"' && field.Length == 0)
            {
                position = ReadQuoted(text, position + 1, field, ref line, recordLine);
                recordHasContent = true;
                continue;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                recordHasContent = true;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && position + 1 < text.Length && text[position + 1] == '\n')
                {
                    position++;
                }

                EndRecord(records, fields, field, recordLine, recordHasContent);
                recordHasContent = false;
                line++;
                recordLine = line;
            }
            else
            {
                field.Append(c);
                recordHasContent = true;
            }

            position++;
        }

        EndRecord(records, fields, field, recordLine, recordHasContent);
        return records;
    }

    private static int ReadQuoted(string text, int position, StringBuilder field, ref int line, int recordLine)
    {
        while (position < text.Length)
        {
            char c = text[position];
            if (c == '"')
            {
                if (position + 1 < text.Length && text[position + 1] == '"')
                {
                    field.Append('"');
                    position += 2;
                    continue;
                }

                int next = position + 1;
                if (next < text.Length && text[next] is not (',' or '\r' or '\n'))
                {
                    throw new FormatException(
                        $"CSV record starting on line {recordLine} has '{text[next]}' right after the closing quote of a field on line {line}; " +
                        "a quote inside a field is written twice, and a field that opens with a quote must end with one.");
                }

                return next;
            }

            if (c == '\n')
            {
                line++;
            }

            field.Append(c);
            position++;
        }

        throw new FormatException($"CSV record starting on line {recordLine} has a quoted field without its closing quote.");
    }

    private static void EndRecord(
        List<CsvRecord> records, List<string> fields, StringBuilder field, int line, bool hasContent)
    {
        if (hasContent)
        {
            fields.Add(field.ToString());
            records.Add(new CsvRecord(line, [.. fields]));
        }

        fields.Clear();
        field.Clear();
    }
}
