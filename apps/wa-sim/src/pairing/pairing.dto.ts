import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MinLength } from 'class-validator';

export class ScanQrDto {
  @ApiProperty({ example: '6281234567890', description: 'The account whose phone scans the QR' })
  @Matches(/^\d{6,15}$/, { message: 'phoneNumber must be 6-15 digits' })
  phoneNumber!: string;

  @ApiProperty({ description: 'The `qr` string Baileys emitted in connection.update' })
  @IsString()
  @MinLength(10)
  qr!: string;
}

export class PairingCodeDto {
  @ApiProperty({ example: '6281234567890', description: 'The number the companion passed to requestPairingCode' })
  @Matches(/^\d{6,15}$/, { message: 'phoneNumber must be 6-15 digits' })
  phoneNumber!: string;

  @ApiProperty({ example: 'ABCD1234', description: 'The 8-character code the companion shows' })
  @Matches(/^[A-Za-z0-9]{8}$/, { message: 'code must be 8 letters or digits' })
  code!: string;
}

export class LinkedDeviceView {
  @ApiProperty() phoneNumber!: string;
  @ApiProperty() deviceId!: number;
  @ApiProperty({ example: '6281234567890:1@s.whatsapp.net' }) jid!: string;
}
