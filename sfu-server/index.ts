// The server's public face, for a program that embeds it (the desktop app's host mode): start
// one, and the addresses meeting points may reach this machine at. Nothing else of
// sfu-server/src is for outside use.
export { ListenError, type SfuServer, type SfuServerDeps, startSfuServer } from './src/SfuServer';
export { MAX_MEDIA_ADDRESSES, bindableAddresses, defaultMediaAddresses, reachableAddresses } from './src/addresses';
