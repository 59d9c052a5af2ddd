using Samsa.Fuzz;
using Samsa.Fuzz.Seeds;

// Entry points of the fuzz harness; fuzz/run.sh drives them (see README, "Fuzzing").
//   Samsa.Fuzz fuzz <target>                  under afl-fuzz: SharpFuzz's fork-server loop, input on stdin or @@
//   Samsa.Fuzz replay <target> <file|dir>...  run saved inputs without AFL; exit 1 on the first finding
//   Samsa.Fuzz seed <captures dir> <out dir>  write seeds for every target from the golden captures
//   Samsa.Fuzz list                           the target names
//   Samsa.Fuzz selftest                       under afl-fuzz: the codecs target, plus a crash on an input starting
//                                             with '!', to check that this AFL and SharpFuzz record crashes (seed "A")
if (args.Length == 0)
{
    return Usage();
}

switch (args[0])
{
    case "list":
        foreach (string name in FuzzRunner.Names)
        {
            Console.WriteLine(name);
        }

        return 0;
    case "seed" when args.Length == 3:
        Console.WriteLine($"{CaptureSeeds.Write(args[1], args[2])} seeds written to {args[2]}");
        return 0;
    case "fuzz" when args.Length == 2 && Array.IndexOf(FuzzRunner.Names, args[1]) >= 0:
        // Nothing of Samsa.Managed (instrumented) may run before Fuzzer.Run has mapped AFL's shared memory.
        FuzzTarget? fuzzed = null;
        SharpFuzz.Fuzzer.Run(stream =>
        {
            fuzzed ??= FuzzRunner.Create(args[1])!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            FuzzRunner.Run(fuzzed, copy.ToArray());
        });
        return 0;
    case "selftest":
        FuzzTarget? codecs = null;
        SharpFuzz.Fuzzer.Run(stream =>
        {
            // Runs instrumented code first: AFL refuses a target that reports no coverage.
            codecs ??= FuzzRunner.Create("codecs")!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] input = copy.ToArray();
            FuzzRunner.Run(codecs, input);
            if (input.Length > 0 && input[0] == '!')
            {
                throw new InvalidOperationException("Self-test crash: AFL should record this input.");
            }
        });
        return 0;
    case "replay" when args.Length >= 3 && FuzzRunner.Create(args[1]) is FuzzTarget replayed:
        return Replay.Run(replayed, args[2..]);
    default:
        return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: Samsa.Fuzz list | fuzz <target> | selftest | replay <target> <file|dir>... | seed <captures dir> <out dir>");
    return 2;
}
