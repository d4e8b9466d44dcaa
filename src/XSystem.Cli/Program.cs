if (args.Length > 0 && args[0] == "--version")
{
    Console.WriteLine(XSystem.XSystemInfo.Version);
}

return 0;
