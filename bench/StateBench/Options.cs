using System.Globalization;

namespace Orchestrator.StateBench;

/// <summary>Command-line options of <c>orch-state-bench</c>.</summary>
internal sealed class Options
{
    public List<int> Sizes { get; private set; } = [100, 1000, 5000];

    /// <summary>Repeats per size; null picks 5 up to 100 states, 3 above.</summary>
    public int? Repeats { get; private set; }

    public double JinjaSeconds { get; private set; } = 1.0;

    public bool States { get; private set; } = true;

    public bool Jinja { get; private set; } = true;

    public bool Keep { get; private set; }

    /// <summary>Every k-th state requires the previous k-th; 0 for none.</summary>
    public int RequireEvery { get; private set; } = 10;

    /// <summary>Where the trees and managed files go (default: the system temp dir).</summary>
    public string Directory { get; private set; } = Path.GetTempPath();

    public static string Usage =>
        """
        orch-state-bench: state-system and Jinja benchmark (prints figures, asserts only correctness).

          --sizes 100,1000,5000   numbers of file.managed states (one run of the tree per size)
          --repeats N             runs per size (default: 5 up to 100 states, 3 above); the median is printed
          --jinja-seconds S       single-thread time per Jinja case, used to size the iteration count (default 1.0)
          --no-states             skip the state benchmark
          --no-jinja              skip the Jinja benchmark
          --require-every K       every K-th state requires the previous K-th (default 10; 0: no requisites)
          --dir DIR               where trees and managed files are created (default: the temp dir; /dev/shm takes the disk out)
          --keep                  keep the generated trees and managed files (paths are printed)
          --help
        """;

    public int RepeatsFor(int size) => Repeats ?? (size <= 100 ? 5 : 3);

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--sizes":
                    options.Sizes = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => int.Parse(s.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture))
                        .ToList();
                    if (options.Sizes.Any(s => s < 1))
                    {
                        throw new ArgumentException("--sizes must be positive");
                    }
                    break;
                case "--repeats":
                    options.Repeats = Math.Max(1, int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--jinja-seconds":
                    options.JinjaSeconds = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--no-states":
                    options.States = false;
                    break;
                case "--no-jinja":
                    options.Jinja = false;
                    break;
                case "--require-every":
                    options.RequireEvery = Math.Max(0, int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--dir":
                    options.Directory = Value();
                    break;
                case "--keep":
                    options.Keep = true;
                    break;
                case "-h" or "--help":
                    throw new HelpRequested();
                default:
                    throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return options;
    }

    internal sealed class HelpRequested : Exception;
}
