import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { ReceiptMode } from './phone.model';

const PHONE_PATTERN = /^\d{6,15}$/;
const RECEIPT_MODES: ReceiptMode[] = ['read', 'delivered', 'none'];

export class CreatePhoneDto {
  @ApiProperty({ example: '6281234567890', description: 'International number, digits only' })
  @Matches(PHONE_PATTERN, { message: 'phoneNumber must be 6-15 digits' })
  phoneNumber!: string;

  @ApiPropertyOptional({ example: 'Budi', description: 'Push name shown to companions' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  name?: string;

  @ApiPropertyOptional({ example: '100000000000001', description: 'LID user part; derived from the number when absent' })
  @IsOptional()
  @Matches(/^\d{6,20}$/, { message: 'lid must be 6-20 digits' })
  lid?: string;

  @ApiPropertyOptional({ enum: RECEIPT_MODES, default: 'read', description: 'Automatic receipts for messages this phone receives' })
  @IsOptional()
  @IsIn(RECEIPT_MODES)
  receiptMode?: ReceiptMode;
}

export class ReceiptModeDto {
  @ApiProperty({ enum: RECEIPT_MODES })
  @IsIn(RECEIPT_MODES)
  receiptMode!: ReceiptMode;
}

export class CompanionView {
  @ApiProperty() deviceId!: number;
  @ApiProperty({ example: '6281234567890:1@s.whatsapp.net' }) jid!: string;
  @ApiProperty({ example: '100000000000001:1@lid' }) lid!: string;
  @ApiProperty() platform!: string;
  @ApiProperty() linkedAt!: string;
  @ApiProperty({ description: 'A socket of this device is logged in now' }) connected!: boolean;
  @ApiProperty({ description: 'Messages waiting for the device to come online' }) queued!: number;
}

export class ConnectionStatsView {
  @ApiProperty({ description: 'Authenticated sockets of the account open now' }) live!: number;
  @ApiProperty({ description: 'Highest live count since start or last reset' }) max!: number;
}

export class PhoneView {
  @ApiProperty() phoneNumber!: string;
  @ApiProperty() jid!: string;
  @ApiProperty() lid!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['account', 'contact'] }) role!: string;
  @ApiProperty({ enum: RECEIPT_MODES }) receiptMode!: ReceiptMode;
  @ApiProperty({ type: [CompanionView] }) devices!: CompanionView[];
  @ApiProperty({ type: ConnectionStatsView }) connections!: ConnectionStatsView;
  @ApiProperty({ description: "Privacy tokens (tctoken) the account's companions issued to contacts since start" }) privacyTokensIssued!: number;
}
