console.log('demo: not built yet');
process.exit(1);
