using System.Globalization;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>The gauges a lane reads from one scrape of an edge agent's metrics endpoint.</summary>
public sealed record AgentMetricsSample(long LastSeq, int OutboxDepth, bool Ready, bool HubConnected)
{
    /// <summary>
    /// Reads the samples of the Prometheus text format (<c>name{labels} value [timestamp]</c>);
    /// a gauge missing from <paramref name="text"/> reads as 0.
    /// </summary>
    public static AgentMetricsSample Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int labelsEnd = line.IndexOf('}', StringComparison.Ordinal);
            int nameEnd = line.IndexOfAny(['{', ' ']);
            string[] rest = line[(labelsEnd >= 0 ? labelsEnd + 1 : nameEnd)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (nameEnd > 0 && rest.Length > 0 && double.TryParse(rest[0], CultureInfo.InvariantCulture, out double value))
            {
                values[line[..nameEnd]] = value;
            }
        }

        return new AgentMetricsSample(
            (long)values.GetValueOrDefault("edgeiot_outbox_last_seq"),
            (int)values.GetValueOrDefault("edgeiot_outbox_depth"),
            values.GetValueOrDefault("edgeiot_lane_ready") >= 1,
            values.GetValueOrDefault("edgeiot_mqtt_connections") >= 1);
    }
}
