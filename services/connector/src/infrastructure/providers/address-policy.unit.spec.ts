import { describe, expect, it } from '@jest/globals';
import { isInternalName, isPublicAddress } from './address-policy';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    'not-an-ip',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => expect(isPublicAddress(address)).toBe(true),
  );
});

describe('isInternalName', () => {
  it.each([
    'localhost',
    'localhost.',
    'LOCALHOST',
    'localhost.localdomain',
    'app.localhost',
    'ip6-localhost',
    'ip6-loopback',
    'metadata',
    'metadata.google.internal',
    'instance-data',
    'instance-data.ec2.internal',
    'anything.INTERNAL.',
    'printer.local',
    'nas.home.arpa',
  ])('refuses %s', (name) => expect(isInternalName(name)).toBe(true));

  it.each([
    'calendar.google.com',
    'dav.example.org.',
    'localhost.example.com',
    'internal.example.com',
    'metadata.azure.com',
    '127.0.0.1',
    '[::1]',
  ])('leaves %s to the address policy', (name) => expect(isInternalName(name)).toBe(false));
});
