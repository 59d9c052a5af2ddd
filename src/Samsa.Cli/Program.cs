using System.Runtime.InteropServices;
using Samsa.Cli;

// samsa: see CliApp. Ctrl-C and SIGTERM cancel the running command (exit code 130); a second Ctrl-C kills at once.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!interrupted.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupted.Cancel();
    }
};
using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupted.Cancel();
});

return await CliApp.RunAsync(args, CliConsole.System(), interrupted.Token);
