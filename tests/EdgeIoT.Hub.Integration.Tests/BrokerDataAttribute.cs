using System.Reflection;
using Xunit.Sdk;

namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>
/// One theory row per broker. The <see cref="BrokerKind.External"/> row needs Debian's mosquitto
/// package, and <c>NeedsClients</c> rows also need mosquitto-clients. A row skips itself with the
/// install command when a package is missing, except in CI (CI=true), where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class BrokerDataAttribute : DataAttribute
{
    private readonly BrokerKind _broker;
    private bool _needsClients;

    public BrokerDataAttribute(BrokerKind broker)
    {
        _broker = broker;
        Skip = SkipReason(broker, needsClients: false);
    }

    /// <summary>Whether the test also runs mosquitto_pub or mosquitto_sub.</summary>
    public bool NeedsClients
    {
        get => _needsClients;
        set
        {
            _needsClients = value;
            Skip = SkipReason(_broker, value);
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[_broker]];

    private static string? SkipReason(BrokerKind broker, bool needsClients)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (broker == BrokerKind.External && MosquittoBroker.ExecutablePath is null)
        {
            return "mosquitto is not installed; install it with: apt-get install mosquitto";
        }

        if (needsClients && EdgeIoT.EndToEnd.Tests.MosquittoClientsFactAttribute.MosquittoSubPath is null)
        {
            return "mosquitto_sub is not installed; install it with: apt-get install mosquitto-clients";
        }

        return null;
    }
}
