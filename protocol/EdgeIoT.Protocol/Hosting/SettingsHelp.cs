using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace EdgeIoT.Protocol.Hosting;

/// <summary>
/// Help output for commands that pass settings such as --Hub:Mqtt:Port=1884 on to configuration.
/// The parser's own help lists those tokens as "additional arguments passed to the application",
/// which means nothing to an operator, so a Settings section with an example replaces it.
/// </summary>
public static class SettingsHelp
{
    /// <summary>Sets the help of <paramref name="root"/> and its subcommands to show the Settings section.</summary>
    /// <param name="root">Command whose help option is replaced; the option applies to every subcommand.</param>
    /// <param name="example">A setting to show, such as --Hub:Mqtt:Port=1884.</param>
    /// <param name="documentation">Where the settings are listed, such as docs/hub.md.</param>
    public static void Use(RootCommand root, string example, string documentation)
    {
        ArgumentNullException.ThrowIfNull(root);

        HelpOption help = root.Options.OfType<HelpOption>().Single();
        help.Action = new SettingsHelpAction(example, documentation);
    }

    private sealed class SettingsHelpAction(string example, string documentation) : SynchronousCommandLineAction
    {
        private const string AdditionalArgumentsUsage = " [[--] <additional arguments>...]]";
        private const string AdditionalArgumentsHeading = "Additional Arguments:";

        public override int Invoke(ParseResult parseResult)
        {
            Command command = parseResult.CommandResult.Command;
            InvocationConfiguration configuration = parseResult.InvocationConfiguration;
            TextWriter output = configuration.Output;
            var text = new StringWriter();
            configuration.Output = text;
            try
            {
                new HelpAction().Invoke(parseResult);
            }
            finally
            {
                configuration.Output = output;
            }

            string help = text.ToString();
            if (command.TreatUnmatchedTokensAsErrors)
            {
                output.Write(help);
                return 0;
            }

            // The parser writes the additional arguments section last, so the text from its heading on is cut.
            int heading = help.IndexOf(AdditionalArgumentsHeading, StringComparison.Ordinal);
            string kept = heading < 0 ? help : help[..heading];
            output.Write(kept.Replace(AdditionalArgumentsUsage, " [settings]", StringComparison.Ordinal).TrimEnd());
            output.WriteLine();
            output.WriteLine();
            output.WriteLine("Settings:");
            output.WriteLine($"  --Section:Key=value  Any setting, such as {example}; {documentation} lists them.");
            output.WriteLine();
            return 0;
        }
    }
}
